import { toGsm7 } from '../kit/gsm7';
import { type Language, t, VOICE_LOCALES } from '../kit/texts';
import { turnLanguage } from '../kit/turnLanguage';
import type { CodeSender, DeliveryResult, Destination, Messenger, SecurityInfoChange } from '../verification/ports';

/**
 * The words of what the verification core sends: codes, the verification
 * call's greeting, change notices. The core hands over facts; the texts come
 * from the catalogs (`sms.*`, `email.*`, `voice.*`) in the language of the
 * turn's person, then a CodeSender sends them (Twilio and SMTP, or the dev outbox).
 */
export class OutgoingMessages implements Messenger {
  constructor(
    private readonly sender: CodeSender,
    /** The organisation's name, as people know it. */
    private readonly orgName: string,
    /** The language to write in: the turn's person's (kit/turnLanguage.ts). */
    private readonly language: () => Language = turnLanguage,
  ) {
    if (!sender || !orgName) throw new Error('OutgoingMessages needs a sender and the organisation name');
  }

  sendCode(to: Destination, code: string, expiresInMinutes: number): Promise<DeliveryResult> {
    const language = this.language();
    const values = { orgName: this.orgName, code, minutes: expiresInMinutes };
    if (to.channel === 'sms') return this.sender.sendSms(to.address, toGsm7(t(language, 'sms.code', values)));
    return this.sender.sendEmail(to.address, t(language, 'email.codeSubject', values), t(language, 'email.codeBody', values));
  }

  placeCall(to: string, call: { readonly callToken: string; readonly extension?: string }): Promise<DeliveryResult> {
    const language = this.language();
    return this.sender.placeCall(to, {
      ...call,
      greeting: t(language, 'voice.greeting', { orgName: this.orgName }),
      noAnswer: t(language, 'voice.noAnswer'),
      voice: VOICE_LOCALES[language],
    });
  }

  notifyChange(to: Destination, change: SecurityInfoChange): Promise<DeliveryResult> {
    const language = this.language();
    const values = { orgName: this.orgName, change: describeChange(change, language) };
    if (to.channel === 'sms') return this.sender.sendSms(to.address, toGsm7(t(language, 'sms.changeNotice', values)));
    return this.sender.sendEmail(to.address, t(language, 'email.changeSubject', values), t(language, 'email.changeBody', values));
  }
}

function describeChange(change: SecurityInfoChange, language: Language): string {
  if ('kind' in change) return t(language, `change.${change.what}`, { method: t(language, `methodsInSentence.${change.kind}`) });
  return t(language, change.what === 'defaultChanged' ? 'change.defaultChanged' : 'change.reregister');
}
