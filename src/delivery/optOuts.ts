import type { Aliases } from '../storage/aliases';
import type { CodeSender, DeliveryResult } from '../verification/ports';

/**
 * A sender that texts no number that replied STOP (until it replies START):
 * codes, notices and replies alike. Calls and emails are not texts.
 */
export function honourOptOuts(sender: CodeSender, aliases: Aliases): CodeSender {
  return {
    async sendSms(to: string, body: string): Promise<DeliveryResult> {
      if ((await aliases.phone(to)).optedOut) return { ok: false, failure: 'optedOut', permanent: true };
      return sender.sendSms(to, body);
    },
    sendEmail: (to, subject, body) => sender.sendEmail(to, subject, body),
    placeCall: (to, call) => sender.placeCall(to, call),
  };
}
