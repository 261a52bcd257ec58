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

/** Every Entra tenant an activity names: Teams' conversation, and channelData (where other channels, or a client, may put one). */
export function tenantsOf(activity: Partial<Activity>): string[] {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return [activity.conversation?.tenantId, fromChannelData].filter((t): t is string => typeof t === 'string' && t !== '');
}

/** Who is served: in local mode every channel, otherwise the listed ones; with a tenant set, that tenant only. */
export interface Admission {
  readonly allowedChannels?: ReadonlySet<string>;
  readonly allowedTenantId?: string;
}

/** Why an activity is not served, or undefined when it is. */
export function refusalOf(activity: Partial<Activity>, admission: Admission): 'channel' | 'tenant' | undefined {
  if (admission.allowedChannels && !admission.allowedChannels.has(activity.channelId ?? '')) return 'channel';
  const allowed = admission.allowedTenantId;
  if (!allowed) return undefined;
  // Teams always names its tenant in the conversation; one from channelData alone never lets a Teams activity in.
  if (activity.channelId === 'msteams' && !activity.conversation?.tenantId) return 'tenant';
  return tenantsOf(activity).some((tenant) => tenant !== allowed) ? 'tenant' : undefined;
}

/**
 * Who the person is, for a new profile: in Teams the member's UPN and name
 * from the roster (one call, only when the profile is created). A name the
 * client sends is anyone's to choose, so it is taken as the UPN only when
 * `trustClientNames` (local mode); otherwise a person without a vouched UPN
 * is known by their key, which no UPN can equal (it holds a colon).
 */
export async function describePerson(context: TurnContext, id: string, log: Logger, trustClientNames = false): Promise<Person> {
  const from = context.activity.from;
  const displayName = from.name || from.id;
  const fallback = { id, upn: trustClientNames ? displayName : id, displayName, upnVerified: false };
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
    log.warn({ err }, 'could not read the Teams member; the person is known by their key, not by their display name');
    return fallback;
  }
}
