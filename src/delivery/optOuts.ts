/**
 * What a STOP stops.
 *
 * The number a text claims to come from can be forged, so a STOP may not be
 * the owner's. It is honoured at once all the same (carrier rules; Twilio
 * blocks the number itself): nothing we send on our own goes to that number
 * any more (change notices, replies sent later, a help-desk agent's messages)
 * until START. A code the person asks for is the exception: they asked, in a
 * chat that proved who they are, for that one text to that number, which is
 * consent for it. So a forged STOP cannot lock anyone out of codes, and a real
 * one still stops everything the person did not ask for. (By text, an
 * opted-out number can ask for nothing: the SMS gate answers it only STOP,
 * START and HELP.) Where the carrier or Twilio block the number themselves,
 * the code fails as `optedOut` and the person is told to text START from that
 * phone, which no forger can stop them doing, or to choose a call.
 */
import type { Aliases } from '../storage/aliases';
import type { CodeSender, DeliveryResult, Messenger } from '../verification/ports';

const OPTED_OUT: DeliveryResult = { ok: false, failure: 'optedOut', permanent: true };

/** A sender for the texts we send on our own (replies sent later, agents' messages): none to a number that said STOP. Calls and emails are not texts. */
export function honourOptOuts(sender: CodeSender, aliases: Aliases): CodeSender {
  return {
    async sendSms(to: string, body: string): Promise<DeliveryResult> {
      if ((await aliases.phone(to)).optedOut) return OPTED_OUT;
      return sender.sendSms(to, body);
    },
    sendEmail: (to, subject, body) => sender.sendEmail(to, subject, body),
    placeCall: (to, call) => sender.placeCall(to, call),
  };
}

/** The verification core's messages: change notices honour a STOP; codes, asked for, go (see above). */
export function honourOptOutsInNotices(messenger: Messenger, aliases: Aliases): Messenger {
  return {
    sendCode: (to, code, expiresInMinutes) => messenger.sendCode(to, code, expiresInMinutes),
    placeCall: (to, call) => messenger.placeCall(to, call),
    async notifyChange(to, change): Promise<DeliveryResult> {
      if (to.channel === 'sms' && (await aliases.phone(to.address)).optedOut) return OPTED_OUT;
      return messenger.notifyChange(to, change);
    },
  };
}
