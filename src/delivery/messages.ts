import type { MethodKind } from '../verification/policy';
import type { CodeSender, DeliveryResult, Destination, Messenger, SecurityInfoChange } from '../verification/ports';

const KIND_WORDS: Record<MethodKind, string> = {
  authenticatorApp: 'authenticator app',
  phone: 'phone',
  alternatePhone: 'alternate phone',
  officePhone: 'office phone',
  email: 'email',
  securityQuestions: 'security questions',
};

/**
 * The words of what the verification core sends: codes, the verification
 * call's greeting, change notices. The core hands over facts; the texts are
 * written here, then sent by a CodeSender (Twilio and SMTP, or the dev outbox).
 */
export class OutgoingMessages implements Messenger {
  constructor(
    private readonly sender: CodeSender,
    /** The organisation's name, as people know it. */
    private readonly orgName: string,
  ) {
    if (!sender || !orgName) throw new Error('OutgoingMessages needs a sender and the organisation name');
  }

  sendCode(to: Destination, code: string, expiresInMinutes: number): Promise<DeliveryResult> {
    const org = this.orgName;
    if (to.channel === 'sms') {
      return this.sender.sendSms(
        to.address,
        `${code} is your ${org} verification code. It expires in ${expiresInMinutes} minutes. Don't share it with anyone.`,
      );
    }
    return this.sender.sendEmail(
      to.address,
      `Your ${org} verification code`,
      `Use the code ${code} to verify this email address for ${org} password reset. It expires in ${expiresInMinutes} minutes.\n\nIf you did not ask for it, you can ignore this email.`,
    );
  }

  placeCall(to: string, call: { readonly callToken: string; readonly extension?: string }): Promise<DeliveryResult> {
    return this.sender.placeCall(to, {
      ...call,
      greeting: `Hello. This is ${this.orgName}, calling to verify your phone for signing in. If you asked for this call, enter the two-digit number shown in your chat. If you did not ask for it, just hang up.`,
    });
  }

  notifyChange(to: Destination, change: SecurityInfoChange): Promise<DeliveryResult> {
    const text = `${this.orgName}: your security info changed (${describeChange(change)}). If this wasn't you, contact your help desk right away.`;
    if (to.channel === 'sms') return this.sender.sendSms(to.address, text);
    return this.sender.sendEmail(to.address, `Your ${this.orgName} security info changed`, text);
  }
}

function describeChange(change: SecurityInfoChange): string {
  if ('kind' in change) return `${KIND_WORDS[change.kind]} ${change.what}`;
  return change.what === 'defaultChanged' ? 'default sign-in method changed' : 're-registration required by the help desk';
}
