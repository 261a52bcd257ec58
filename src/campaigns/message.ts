import type { CardRenderer, RenderedCard } from '../presentation/cards';
import { kindLabel } from '../presentation/labels';
import type { Campaign, MethodKind, OutreachRecord } from './model';
import { snoozesLeft } from './schedule';

/**
 * What a contact says: why, by when, and how many snoozes are left (or that
 * it is required now). English for now; the words come from here, the layout
 * from `cards/campaign.json`, and a text carries the same sentences.
 */
export interface ContactView {
  readonly orgName: string;
  readonly campaign: Campaign;
  readonly record: Pick<OutreachRecord, 'snoozes' | 'step'>;
  readonly timeZone: string;
}

/** "Friday 4 December, 17:00 (Europe/Paris)": a deadline as the person reads it. */
export function whenText(at: number, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
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

export function methodsText(methods: readonly MethodKind[]): string {
  return methods.map(kindLabel).join(' and ');
}

/** "2 snoozes left", "1 snooze left", "no snoozes left". */
export function snoozesLeftText(left: number): string {
  return left === 0 ? 'no snoozes left' : `${left} snooze${left === 1 ? '' : 's'} left`;
}

function view({ orgName, campaign, record, timeZone }: ContactView) {
  const { spec } = campaign;
  const left = snoozesLeft(spec, record);
  const methods = methodsText(spec.methods);
  return {
    orgName,
    heading: record.step === 0 ? `please set up ${methods}` : `reminder: set up ${methods}`,
    why: `${orgName} asks you to register ${methods} for your account (${spec.name}), so that you can sign in safely and reset your password yourself.`,
    methodsText: methods,
    deadlineText: whenText(Date.parse(spec.deadline), timeZone),
    required: left === 0,
    requiredText: `This is required now: please set it up before ${whenText(Date.parse(spec.deadline), timeZone)}.`,
    snoozesText: `Not ready? "Not now" reminds you later (${snoozesLeftText(left)}).`,
    campaignId: campaign.id,
  };
}

/** The card of a contact, its actions stamped with `nonce` (a click is acted on once). */
export function contactCard(cards: CardRenderer, contact: ContactView, nonce: string): RenderedCard {
  return cards.render('campaign', view(contact), nonce);
}

/** The same contact as a text (SMS): no buttons, so it says where to act. */
export function contactText(contact: ContactView): string {
  const v = view(contact);
  const tail = v.required ? v.requiredText : `Due ${v.deadlineText}.`;
  return `${v.orgName}: ${v.heading} (${contact.campaign.spec.name}). ${tail} Open the ${v.orgName} security assistant in Teams, or reply MENU. Reply STOP to opt out.`;
}

/** The next method to set up, named for a sentence. */
export function methodName(kind: MethodKind): string {
  return kindLabel(kind);
}
