import { toGsm7 } from '../kit/gsm7';
import { type Language, t } from '../kit/texts';
import type { CardRenderer, RenderedCard } from '../presentation/cards';
import { kindInSentence } from '../presentation/labels';
import type { Campaign, MethodKind, OutreachRecord } from './model';
import { snoozesLeft } from './schedule';

/**
 * What a contact says, in the person's language: why, by when, and how many
 * snoozes are left (or that it is required now). The words are in the
 * catalogs (`cards.campaign`, `campaign`), the layout in `cards/campaign.json`,
 * and a text carries the same sentences.
 */
export interface ContactView {
  readonly orgName: string;
  readonly campaign: Campaign;
  readonly record: Pick<OutreachRecord, 'snoozes' | 'step'>;
  readonly timeZone: string;
  readonly language: Language;
}

/** How dates are written in each language ("Friday 4 December, 17:00", "viernes, 4 de diciembre, 17:00"). */
const DATE_LOCALES = { en: 'en-GB', es: 'es-ES' } as const satisfies Record<Language, string>;

/** A moment as the person reads it, in their time zone (named, so nobody guesses which). */
export function whenText(at: number, timeZone: string, language: Language): string {
  const text = new Intl.DateTimeFormat(DATE_LOCALES[language], {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return `${text} (${timeZone})`;
}

/** "authenticator app and phone", "aplicación de autenticación y teléfono". */
export function methodsText(methods: readonly MethodKind[], language: Language): string {
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(methods.map((kind) => kindInSentence(kind, language)));
}

function view({ orgName, campaign, record, timeZone, language }: ContactView) {
  const { spec } = campaign;
  const left = snoozesLeft(spec, record);
  return {
    orgName,
    name: spec.name,
    methods: methodsText(spec.methods, language),
    methodsLabel: spec.methods.map((kind) => t(language, `methods.${kind}`)).join(', '),
    deadline: whenText(Date.parse(spec.deadline), timeZone, language),
    reminder: record.step > 0,
    required: left === 0,
    left,
    campaignId: campaign.id,
  };
}

/** The card of a contact, its actions stamped with `nonce` (a click is acted on once). */
export function contactCard(cards: CardRenderer, contact: ContactView, nonce: string): RenderedCard {
  return cards.render('campaign', view(contact), nonce, contact.language);
}

/** The same contact as a text (SMS): no buttons, so it says where to act; GSM-7, as every text (docs/i18n.md). */
export function contactText(contact: ContactView): string {
  const { language } = contact;
  const v = view(contact);
  const values = { methods: v.methods, deadline: v.deadline };
  return toGsm7(
    t(language, 'campaign.sms', {
      orgName: v.orgName,
      name: v.name,
      heading: t(language, v.reminder ? 'campaign.headingReminder' : 'campaign.headingFirst', values),
      due: t(language, v.required ? 'campaign.requiredBy' : 'campaign.due', values),
    }),
  );
}
