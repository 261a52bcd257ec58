import { type Activity, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from '../kit/log';

export interface Person {
  /** Stable key of the person: the Entra object id in Teams, channel + user id elsewhere. */
  readonly id: string;
  readonly upn: string;
  readonly displayName: string;
  /** Whether the UPN comes from Teams' roster (not from a name the client sent). */
  readonly upnVerified: boolean;
}

/** Key prefixes only the bot gives out. */
const RESERVED_PREFIXES = new Set(['aad', 'upn']);

/** The key a turn's person is stored under; no I/O, so it costs nothing per turn. */
export function personIdOf(activity: Partial<Activity>): string | undefined {
  const from = activity.from;
  // Only Teams vouches for the Entra object id; elsewhere a client could claim anyone's.
  if (from?.aadObjectId && activity.channelId === 'msteams') return `aad:${from.aadObjectId}`;
  // `aad:` and `upn:` keys are vouched for (Teams, the directory): no channel may claim one.
  if (!from?.id || !activity.channelId || RESERVED_PREFIXES.has(activity.channelId.toLowerCase())) return undefined;
  return `${activity.channelId}:${from.id}`;
}

/** The Entra tenant of a Teams activity, from the conversation (channelData can be set by other clients). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  return activity.conversation?.tenantId;
}

/**
 * Who the person is, for a new profile: in Teams the member's UPN and name
 * from the roster (one call, only when the profile is created); elsewhere the
 * name the channel gives.
 */
export async function describePerson(context: TurnContext, id: string, log: Logger): Promise<Person> {
  const from = context.activity.from;
  const fallback = { id, upn: from.name || from.id, displayName: from.name || from.id, upnVerified: false };
  if (context.activity.channelId !== 'msteams') return fallback;
  try {
    const member = await TeamsInfo.getMember(context, from.id);
    return {
      id,
      upn: member.userPrincipalName || member.email || fallback.upn,
      displayName: member.name || fallback.displayName,
      upnVerified: !!member.userPrincipalName,
    };
  } catch (err) {
    log.warn({ err }, 'could not read the Teams member; using the activity name');
    return fallback;
  }
}
