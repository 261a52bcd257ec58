import { outcomeOf, retryAfterMs } from '../../src/channels/proactiveTeams';

const NOW = Date.UTC(2026, 10, 28, 9, 0, 0);
const restError = (status: number | undefined, retryAfter?: string) => ({
  statusCode: status,
  response:
    status === undefined ? undefined : { status, headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } },
});

describe('what a failed proactive chat means for the campaign queue', () => {
  it('reads Retry-After in seconds or as an HTTP date, bounded, with a minute when there is none', () => {
    expect(retryAfterMs('120', NOW)).toBe(120_000);
    expect(retryAfterMs(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(retryAfterMs('0', NOW)).toBe(1000);
    expect(retryAfterMs('999999', NOW)).toBe(60 * 60_000);
    expect(retryAfterMs(undefined, NOW)).toBe(60_000);
    expect(retryAfterMs('soon', NOW)).toBe(60_000);
  });

  it('a 429 holds the channel, a 403 or 404 means the person cannot be reached, a 5xx sent nothing, no answer may have sent', () => {
    expect(outcomeOf(restError(429, '5'), NOW)).toEqual({ ok: false, reason: 'throttled', retryAfterMs: 5000 });
    expect(outcomeOf(restError(403), NOW)).toEqual({ ok: false, reason: 'unreachable' });
    expect(outcomeOf(restError(404), NOW)).toEqual({ ok: false, reason: 'unreachable' });
    expect(outcomeOf(restError(503), NOW)).toEqual({ ok: false, reason: 'failed', sent: 'no' });
    expect(outcomeOf(new Error('socket hang up'), NOW)).toEqual({ ok: false, reason: 'failed', sent: 'maybe' });
  });
});
