import { campaignSpecSchema, type OutreachRecord } from '../../src/campaigns/model';
import { nextReminder, outsideQuietHours, snooze, snoozesLeft } from '../../src/campaigns/schedule';
import { meetsCampaign, nextMissing, targetsOf } from '../../src/campaigns/targeting';
import type { DirectoryEntry } from '../../src/state/directory';
import type { SecurityInfoProfile } from '../../src/verification/profile';
import { DAY, HOUR, T0 } from './support';

const spec = campaignSpecSchema.parse({
  name: 'Rollout',
  roles: ['employee'],
  groups: ['Finance'],
  exclude: ['Excluded@Contoso.com'],
  methods: ['authenticatorApp', 'phone'],
  startsAt: new Date(T0).toISOString(),
  deadline: new Date(T0 + 14 * DAY).toISOString(),
  snoozeDays: 2,
});

const record = (snoozes = 0): OutreachRecord => ({ campaignId: 'cmp-1', upn: 'a@contoso.com', order: 0, step: 1, snoozes, failures: 0 });

const person = (upn: string, role: string, groups?: string[]): DirectoryEntry => ({ upn, displayName: upn, role, phones: [], groups });

describe('who a campaign targets', () => {
  it('takes people of its roles or in its groups, in directory order, less those it excludes', () => {
    const entries = [
      person('student@contoso.edu', 'student'),
      person('employee@contoso.com', 'employee'),
      person('finance.student@contoso.edu', 'student', ['finance']),
      person('excluded@contoso.com', 'employee'),
      person('admin@contoso.com', 'admin', ['Sales']),
    ];
    expect(targetsOf(spec, entries).map((e) => e.upn)).toEqual(['employee@contoso.com', 'finance.student@contoso.edu']);
  });

  it('counts a person as meeting it only with every method it asks for', () => {
    const withKinds = (...kinds: string[]) => ({ methods: kinds.map((kind) => ({ kind })) }) as unknown as SecurityInfoProfile;
    expect(meetsCampaign(spec.methods, undefined)).toBe(false);
    expect(meetsCampaign(spec.methods, withKinds('authenticatorApp'))).toBe(false);
    expect(meetsCampaign(spec.methods, withKinds('phone', 'email', 'authenticatorApp'))).toBe(true);
    expect(nextMissing(spec.methods, withKinds('authenticatorApp'))).toBe('phone');
    expect(nextMissing(spec.methods, undefined)).toBe('authenticatorApp');
  });

  it('takes the defaults of Entra for snoozes, and refuses what Entra would', () => {
    const base = {
      name: 'x',
      roles: ['employee'],
      methods: ['authenticatorApp'],
      startsAt: '2026-12-01T09:00:00Z',
      deadline: '2026-12-15T09:00:00Z',
    };
    expect(campaignSpecSchema.parse(base)).toMatchObject({ maxSnoozes: 3, snoozeDays: 1, channels: ['teams'], groups: [], exclude: [] });
    for (const bad of [
      { snoozeDays: 15 },
      { snoozeDays: -1 },
      { maxSnoozes: 1.5 },
      { roles: [], groups: [] },
      { timeZone: 'Mars/Olympus' },
    ]) {
      expect(campaignSpecSchema.safeParse({ ...base, ...bad }).success).toBe(false);
    }
  });
});

describe('when people are contacted, with a frozen clock', () => {
  it('reminds at 7, 3 and 1 days before the deadline, never twice within 12 hours, never after it', () => {
    const deadline = T0 + 14 * DAY;
    expect(nextReminder(spec, T0)).toBe(deadline - 7 * DAY);
    expect(nextReminder(spec, deadline - 7 * DAY)).toBe(deadline - 3 * DAY);
    expect(nextReminder(spec, deadline - 3 * DAY - 6 * HOUR)).toBe(deadline - DAY);
    expect(nextReminder(spec, deadline - DAY - HOUR)).toBeUndefined();
    expect(nextReminder(spec, deadline + DAY)).toBeUndefined();
  });

  it('"Not now" puts the next contact off by snoozeDays, counts down the snoozes, and after the last one there is none', () => {
    expect(snooze(spec, record(0), T0)).toEqual({ snoozed: true, nextAt: T0 + 2 * DAY, left: 2 });
    expect(snooze(spec, record(2), T0)).toEqual({ snoozed: true, nextAt: T0 + 2 * DAY, left: 0 });
    expect(snooze(spec, record(3), T0)).toEqual({ snoozed: false });
    expect(snoozesLeft(spec, record(3))).toBe(0);
  });

  it('a snooze running past the deadline ends the day before it; with snoozeDays 0 it waits for the next reminder', () => {
    const deadline = T0 + 14 * DAY;
    expect(snooze(spec, record(0), deadline - 2 * DAY)).toMatchObject({ nextAt: deadline - DAY });
    expect(snooze(spec, record(0), deadline - 12 * HOUR)).toMatchObject({ snoozed: true, nextAt: undefined });
    expect(snooze({ ...spec, snoozeDays: 0 }, record(0), T0)).toMatchObject({ nextAt: deadline - 7 * DAY });
  });

  it("waits out the quiet hours in the person's own time zone", () => {
    // 09:00 UTC: 09:00 in London, 18:00 in Tokyo, 01:00 in Los Angeles.
    expect(outsideQuietHours(spec, 'Europe/London', T0)).toBe(T0);
    expect(outsideQuietHours(spec, 'Asia/Tokyo', T0)).toBe(T0);
    expect(outsideQuietHours(spec, 'America/Los_Angeles', T0)).toBe(Date.UTC(2026, 10, 28, 16, 0));
    // 21:30 in Paris waits until 08:00 the next morning there.
    expect(outsideQuietHours(spec, 'Europe/Paris', Date.UTC(2026, 10, 28, 20, 30))).toBe(Date.UTC(2026, 10, 29, 7, 0));
    // A window that does not cross midnight, and none at all.
    expect(outsideQuietHours({ quietHours: { from: '12:00', to: '13:00' } }, 'UTC', Date.UTC(2026, 10, 28, 12, 15))).toBe(
      Date.UTC(2026, 10, 28, 13, 0),
    );
    expect(outsideQuietHours({ quietHours: { from: '00:00', to: '00:00' } }, 'UTC', T0)).toBe(T0);
  });
});
