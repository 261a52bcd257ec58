import { ActivityTypes, type TurnContext } from 'botbuilder';
import { SMS_HELP, SMS_START, SMS_STOP } from '../conversation/words';
import type { Logger } from '../kit/log';
import { type Language, t } from '../kit/texts';
import type { Directory } from '../state/directory';
import type { Aliases } from '../storage/aliases';
import type { Clock, Counters } from '../verification/ports';
import type { SecretBox } from '../verification/secretBox';
import type { Person } from './identity';

/**
 * The gate answers before anyone's document is read, and the carrier
 * keywords it answers (STOP, START, HELP: CTIA) are English: so are its
 * answers, from the catalog (docs/i18n.md).
 */
const KEYWORD_LANGUAGE: Language = 'en';

/** Texts one number may send in ten minutes; beyond, one warning, then silence (no SMS pumping through us). */
export const TEXTS_PER_TEN_MINUTES = 20;
const TEN_MINUTES = 10 * 60_000;
const DAY = 24 * 60 * 60_000;

const E164 = /^\+[1-9]\d{6,14}$/;

export interface SmsGateDeps {
  readonly aliases: Aliases;
  readonly directory: Directory;
  readonly counters: Counters;
  readonly secretBox: SecretBox;
  readonly clock: Clock;
  readonly log: Logger;
  readonly orgName: string;
  /** How to reach the help desk, said to people the bot cannot help by text. */
  readonly helpDesk: string;
}

/** Whom a text is from, when the gate lets it through. */
export interface SmsSender {
  readonly personId: string;
  /** Who the directory says it is, for a person met for the first time. */
  readonly person?: Person;
}

/**
 * What every text passes before the dialogs (Twilio's webhook and Azure's
 * SMS channel alike): the per-number limit, STOP / START / HELP, opt-outs,
 * and who the number belongs to. It answers what it handles itself; an
 * unknown number gets one neutral reply that says nothing of any account.
 */
export class SmsGate {
  constructor(private readonly deps: SmsGateDeps) {}

  async admit(context: TurnContext): Promise<SmsSender | undefined> {
    const { activity } = context;
    const number = activity.from?.id ?? '';
    if (!E164.test(number)) {
      this.deps.log.warn({ channelId: activity.channelId }, 'text from a sender that is not a phone number ignored');
      return undefined;
    }
    // A wake-up (a call answered) is ours, not the person's: no limit, no keywords.
    if (activity.type !== ActivityTypes.Message) return this.identify(number, (await this.deps.aliases.phone(number)).personId);

    const { aliases, counters, secretBox, clock, orgName } = this.deps;
    // The number is never a key in the clear.
    const numberNames = secretBox.keyedNames(number);
    const window = (Math.floor(clock.now() / TEN_MINUTES) + 1) * TEN_MINUTES;
    const count = await counters.increment(numberNames.of('texts:in:'), window);
    if (count > TEXTS_PER_TEN_MINUTES) {
      this.deps.log.warn({ count }, 'texts from one number over the limit');
      if (count === TEXTS_PER_TEN_MINUTES + 1) await context.sendActivity(t(KEYWORD_LANGUAGE, 'sms.tooMany'));
      return undefined;
    }
    // A webhook delivered twice (a retry, a replay) is one text. Its mark is taken in two overlapping day-long windows
    // (ending tonight and tomorrow night), so a repeat is recognised for at least a whole day, across midnight too.
    const day = (Math.floor(clock.now() / DAY) + 1) * DAY;
    if (activity.id) {
      const mark = secretBox.keyedNames(activity.id).of('texts:id:');
      const [tomorrow, tonight] = await Promise.all([counters.take(mark, 1, day + DAY), counters.take(mark, 1, day)]);
      if (!tomorrow || !tonight) {
        this.deps.log.warn('a text delivered twice ignored');
        return undefined;
      }
    }
    const text = (activity.text ?? '').trim();
    // Honoured at once though the sender may be forged: it stops only what the person did not ask for (delivery/optOuts.ts).
    if (SMS_STOP.test(text)) {
      await aliases.setOptedOut(number, true, clock.now());
      await context.sendActivity(t(KEYWORD_LANGUAGE, 'sms.optedOut', { orgName }));
      return undefined;
    }
    if (SMS_START.test(text)) {
      await aliases.setOptedOut(number, false, clock.now());
      await context.sendActivity(t(KEYWORD_LANGUAGE, 'sms.optedIn', { orgName }));
      return undefined;
    }
    if (SMS_HELP.test(text)) {
      await context.sendActivity(t(KEYWORD_LANGUAGE, 'sms.help', { orgName, helpDesk: this.deps.helpDesk }));
      return undefined;
    }
    // An opted-out number gets nothing but the answers to its keywords.
    const line = await aliases.phone(number);
    if (line.optedOut) return undefined;
    const sender = await this.identify(number, line.personId);
    // An unknown number hears from us once a day: replies cost, and texts from premium ranges would earn from them.
    if (!sender && (await counters.take(numberNames.of('texts:unknown:'), 1, day))) {
      await context.sendActivity(t(KEYWORD_LANGUAGE, 'sms.unknownNumber', { orgName, helpDesk: this.deps.helpDesk }));
    }
    return sender;
  }

  /** A registered phone first (`registered`: whose it is); else a phone on file in the directory. */
  private async identify(number: string, registered: string | undefined): Promise<SmsSender | undefined> {
    if (registered) return { personId: registered };
    const entry = this.deps.directory.findByPhone(number);
    if (!entry) return undefined;
    const personId = (await this.deps.aliases.personOfUpn(entry.upn)) ?? `upn:${entry.upn}`;
    return { personId, person: { id: personId, upn: entry.upn, displayName: entry.displayName, upnVerified: true } };
  }
}
