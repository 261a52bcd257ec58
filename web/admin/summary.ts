/** What `GET /api/admin/summary` answers (docs/admin.md says what each figure means). */
export interface StatusCounts {
  readonly registered: number;
  readonly inProgress: number;
  readonly snoozed: number;
  readonly notReached: number;
  readonly unreachable: number;
}

export interface CampaignCounts {
  readonly targeted: number;
  readonly reached: number;
  readonly opened: number;
  readonly completed: number;
  readonly snoozed: number;
  readonly unreachable: number;
}

export interface Summary {
  readonly generatedAt: string;
  readonly filters: { readonly roles: string[]; readonly groups: string[]; readonly methods: string[] };
  readonly people: {
    readonly total: number;
    readonly byStatus: StatusCounts;
    readonly byRole: ReadonlyArray<StatusCounts & { readonly role: string }>;
    readonly byMethod: ReadonlyArray<{ readonly method: string; readonly count: number }>;
  };
  readonly campaigns: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly state: string;
    readonly deadline?: string | null;
    readonly counts: CampaignCounts;
  }>;
  readonly completions: ReadonlyArray<{ readonly day: string; readonly count: number }>;
  readonly tickets: { readonly open: number; readonly claimed: number };
  readonly queue: {
    readonly pending: number;
    readonly sentLastHour: number;
    readonly ratePerMinute: number;
    readonly retryAfterUntil?: string | number | null;
  };
}

/** The statuses in the order the page shows them (their labels: `statuses.<status>`). */
export const STATUSES: ReadonlyArray<keyof StatusCounts> = ['registered', 'inProgress', 'snoozed', 'notReached', 'unreachable'];

/** A campaign's funnel, step by step (their labels: `counts.<step>`). */
export const FUNNEL: ReadonlyArray<keyof CampaignCounts> = ['targeted', 'reached', 'opened', 'completed'];
