import type { Via } from './ports';

/**
 * Whether a channel proves who sends on it. Teams does: Bot Framework signs
 * every request, and the person's Entra identity comes with it. Elsewhere the
 * sender is only what the client says (Web Chat, Direct Line) or what a text
 * claims (SMS), so what needs a proven sender (a Temporary Access Pass) is
 * refused there. Locally, with no authentication at all, every channel but
 * SMS is taken as proven, so the bot can be tried in the Emulator or the Playground.
 */
export function viaChannel(channel: string, localMode: boolean): Via {
  return { channel, verifiedSender: channel === 'msteams' || (localMode && channel !== 'sms') };
}
