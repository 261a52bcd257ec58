/**
 * A summary as `GET /api/admin/summary` answers it, for the test of how the
 * page draws one (each figure distinct, so a figure in the wrong cell shows).
 */
export const SUMMARY = {
  generatedAt: '2026-11-30T15:20:00.000Z',
  filters: { roles: ['admin', 'employee', 'student'], groups: ['Finance', 'Sales'], methods: ['authenticatorApp', 'phone', 'email'] },
  people: {
    total: 300,
    byStatus: { registered: 121, inProgress: 37, snoozed: 12, notReached: 110, unreachable: 20 },
    byRole: [
      { role: 'employee', registered: 90, inProgress: 30, snoozed: 10, notReached: 60, unreachable: 15 },
      { role: 'student', registered: 25, inProgress: 6, snoozed: 2, notReached: 48, unreachable: 5 },
      { role: 'admin', registered: 6, inProgress: 1, snoozed: 0, notReached: 2, unreachable: 0 },
    ],
    byMethod: [
      { method: 'authenticatorApp', count: 101 },
      { method: 'phone', count: 64 },
      { method: 'email', count: 17 },
    ],
  },
  campaigns: [
    {
      id: 'c1',
      name: 'Autumn MFA drive <b>bold</b>',
      state: 'running',
      deadline: '2026-12-15T00:00:00.000Z',
      counts: { targeted: 200, reached: 150, opened: 90, completed: 60, snoozed: 8, unreachable: 11 },
    },
  ],
  completions: [
    { day: '2026-11-27', count: 14 },
    { day: '2026-11-28', count: 22 },
    { day: '2026-11-29', count: 9 },
    { day: '2026-11-30', count: 15 },
  ],
  tickets: { open: 4, claimed: 2 },
  queue: { pending: 33, sentLastHour: 58, ratePerMinute: 1, retryAfterUntil: null },
};
