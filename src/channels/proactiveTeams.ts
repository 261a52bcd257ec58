import { CardFactory, type CloudAdapter, type ConversationParameters } from 'botbuilder';
import type { SendOutcome, TeamsSender } from '../campaigns/ports';
import type { Logger } from '../kit/log';

/** How long to wait after a 429 that gave no Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 60_000;
/** The longest Retry-After honoured as given (a longer one is capped: the queue looks again then). */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** The status and Retry-After of a failed connector request, as @azure/core-rest-pipeline's RestError carries them. */
function statusOf(err: unknown): { status?: number; retryAfter?: string | null } {
  const e = err as { statusCode?: number; response?: { status?: number; headers?: { get?(name: string): string | null | undefined } } };
  return { status: e?.statusCode ?? e?.response?.status, retryAfter: e?.response?.headers?.get?.('retry-after') };
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), in ms from `now`. */
export function retryAfterMs(header: string | null | undefined, now: number): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 1000), MAX_RETRY_AFTER_MS) : DEFAULT_RETRY_AFTER_MS;
}

/** What a failed createConversation means for the queue (docs/campaigns.md). */
export function outcomeOf(err: unknown, now: number): SendOutcome {
  const { status, retryAfter } = statusOf(err);
  if (status === 429) return { ok: false, reason: 'throttled', retryAfterMs: retryAfterMs(retryAfter, now) };
  // Teams refuses a chat with someone who has not installed the app (403), or does not know them (404).
  if (status === 403 || status === 404) return { ok: false, reason: 'unreachable' };
  // An answer from the connector means it refused; no answer (a time-out, a dropped connection) may hide a send.
  return { ok: false, reason: 'failed', sent: status === undefined ? 'maybe' : 'no' };
}

/**
 * Campaign messages as proactive one-to-one Teams chats: botbuilder's
 * `createConversationAsync` with the person's Entra object id and tenant, at
 * TEAMS_SERVICE_URL, then the card. The adapter's clients do not retry by
 * themselves, so the queue sees each 429 with its Retry-After.
 */
export function teamsSender(deps: {
  adapter: CloudAdapter;
  appId: string;
  serviceUrl: string;
  log: Logger;
  now: () => number;
}): TeamsSender {
  return async (target, card) => {
    const member = { id: target.userId ?? target.aadObjectId, name: '', aadObjectId: target.aadObjectId };
    const parameters = {
      isGroup: false,
      bot: { id: deps.appId ? `28:${deps.appId}` : 'bot', name: 'bot' },
      members: [member],
      tenantId: target.tenantId,
      channelData: { tenant: { id: target.tenantId } },
    } as ConversationParameters;
    try {
      await deps.adapter.createConversationAsync(
        deps.appId,
        'msteams',
        deps.serviceUrl,
        'https://api.botframework.com',
        parameters,
        async (context) => {
          // Addressed to the person (botbuilder's reference for a new chat has no user; Agents Playground needs one).
          await context.sendActivity({ type: 'message', recipient: member, attachments: [CardFactory.adaptiveCard(card.card)] });
        },
      );
      return { ok: true };
    } catch (err) {
      const outcome = outcomeOf(err, deps.now());
      deps.log.info(
        { status: statusOf(err).status, outcome: outcome.ok ? 'ok' : outcome.reason },
        'campaign: a Teams chat could not be opened',
      );
      return outcome;
    }
  };
}
