import type { Activity } from 'botbuilder';
import { NOTICES_ID } from '../../src/presentation/notices';

export type Card = Record<string, unknown>;
type Node = Record<string, unknown>;

export function cardOf(activity: Partial<Activity> | undefined): Card | undefined {
  const attachment = activity?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment?.content as Card | undefined;
}

export function nodes(card: unknown): Node[] {
  const out: Node[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      out.push(n as Node);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** Every text a person can read on the card (visible or behind a toggle). */
export function cardText(card: Card | undefined): string {
  return nodes(card)
    .filter((n) => n.type === 'TextBlock')
    .map((n) => String(n.text))
    .join('\n');
}

export function submitActions(card: Card | undefined): Array<{ title: string; data: Record<string, unknown> }> {
  return nodes(card)
    .filter((n) => n.type === 'Action.Submit')
    .map((n) => ({ title: String(n.title), data: (n.data ?? {}) as Record<string, unknown> }));
}

export function imageOf(card: Card | undefined): Node | undefined {
  return nodes(card).find((n) => n.type === 'Image');
}

export function fact(card: Card | undefined, title: string): string | undefined {
  for (const n of nodes(card)) {
    if (n.title === title && typeof n.value === 'string') return n.value;
  }
  return undefined;
}

/** The titles (or values) of a choice input's options. */
export function choicesOf(card: Card | undefined, inputId: string, field: 'title' | 'value' = 'title'): string[] {
  const input = nodes(card).find((n) => n.type === 'Input.ChoiceSet' && n.id === inputId);
  return ((input?.choices as Array<{ title: string; value: string }>) ?? []).map((c) => c[field]);
}

/**
 * What the bot said, in order: its text messages, and the notices at the top
 * of its cards (what is said just before a card is shown on the card).
 */
export function saidIn(replies: Array<Partial<Activity>>): string[] {
  return replies.flatMap((reply) => {
    if (reply.text) return [reply.text];
    const notices = nodes(cardOf(reply)).find((n) => n.id === NOTICES_ID);
    return ((notices?.items as Node[] | undefined) ?? []).map((n) => String(n.text));
  });
}

/** The two digits a calling card asks the person to enter on the call (number matching), as they read it. */
export function matchNumberIn(card: Card | undefined): string {
  const digits = nodes(card).find((n) => n.type === 'TextBlock' && /^\d{2}$/.test(String(n.text ?? '')));
  if (!digits) throw new Error('the card shows no number to enter');
  return String(digits.text);
}
