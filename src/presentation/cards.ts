import fs from 'node:fs';
import path from 'node:path';
import { Template } from 'adaptivecards-templating';
import { type Catalog, DEFAULT_LANGUAGE, type Language, section, type TextValues, t } from '../kit/texts';

/** The folder of Adaptive Card templates (`cards/` at the repository root). */
export const CARDS_DIR = path.resolve(__dirname, '..', '..', 'cards');

export type CardName =
  | 'moreInfoRequired'
  | 'getTheApp'
  | 'setUpAccount'
  | 'scanQrCode'
  | 'qrCodeRemoved'
  | 'success'
  | 'chooseMethod'
  | 'phoneNumber'
  | 'enterCode'
  | 'calling'
  | 'methodRegistered'
  | 'emailAddress'
  | 'securityQuestions'
  | 'manage'
  | 'confirmDelete'
  | 'changeDefault'
  | 'smsMenu'
  | 'smsCode'
  | 'ticket'
  | 'enterPass'
  | 'proveItsYou'
  | 'campaign';

/** A choice a card offers, as text channels and typed replies see it. */
export interface CardAction {
  readonly title: string;
  readonly action: string;
  /** What the button submits besides its action (e.g. which method it is for). */
  readonly data?: Readonly<Record<string, string>>;
}

/** An option of the card's choice input, which a typed reply can pick by number or title. */
export interface CardChoice {
  readonly input: string;
  readonly title: string;
  readonly value: string;
}

/** A card expanded for one person: the JSON to send, its text rendering, and what it accepts back. */
export interface RenderedCard {
  readonly card: Record<string, unknown>;
  readonly text: string;
  readonly actions: readonly CardAction[];
  readonly inputs: readonly string[];
  /** The options of the card's first choice input; in text they are numbered before the actions. */
  readonly choices: readonly CardChoice[];
}

type Json = Record<string, unknown>;

/**
 * A view-model value a card shows as it is: put where the template says,
 * never tested or changed by it (`${upn}`, not `${toUpper(upn)}` nor
 * `$when: ${upn != ''}`). Expansions are kept with a placeholder in its place,
 * so a card for one person is a kept card with their values filled in, and no
 * kept expansion holds a secret (a QR code, a key).
 */
export class Verbatim {
  constructor(readonly text: string) {}
}

export function verbatim(text: string | undefined): Verbatim {
  return new Verbatim(text ?? '');
}

/** Placeholders are written between private-use characters, which JSON leaves as they are and no card text contains. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\w+)\uE001/g;
const NONCE = `${OPEN}nonce${CLOSE}`;

/** An expanded card and what it accepts back. */
interface Expansion {
  readonly card: Json;
  readonly actions: CardAction[];
  readonly inputs: string[];
  readonly choices: CardChoice[];
}

/**
 * An expansion as kept, with placeholders for the nonce and the verbatim
 * values: frozen, since every card filled from it shares all of it but the
 * few objects on the way to a placeholder.
 */
interface Kept {
  readonly expansion: Expansion;
  /** Where the placeholders are: the path to each string that holds one, and that string. */
  readonly slots: ReadonlyArray<{ readonly path: readonly PropertyKey[]; readonly text: string }>;
}

/**
 * Loads every template once (building a `Template` costs milliseconds), expands
 * it from a view model, stamps each submit action with the card's nonce (so a
 * click on an old card is recognised), and renders the same card as text.
 */
export class CardRenderer {
  private readonly templates = new Map<CardName, Template>();
  /** Expansions by card and view model: most screens look the same for many people, and verbatim values are filled in afterwards. */
  private readonly expanded = new Map<string, Kept>();

  constructor(dir: string = CARDS_DIR) {
    const parts = new Map<string, unknown[]>();
    for (const file of fs.readdirSync(path.join(dir, 'parts'))) {
      parts.set(path.basename(file, '.json'), JSON.parse(fs.readFileSync(path.join(dir, 'parts', file), 'utf8')));
    }
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Json;
      this.templates.set(path.basename(file, '.json') as CardName, new Template(inlineParts(json, parts)));
    }
  }

  names(): CardName[] {
    return [...this.templates.keys()];
  }

  /**
   * The card for a view model: a kept expansion when the same card was
   * expanded from the same data (verbatim values aside), with this card's
   * nonce and values filled in. Expanding costs about half a millisecond;
   * filling a kept one in, a few microseconds. What is returned may share
   * frozen parts with other cards: it is sent as it is, never changed.
   */
  render(name: CardName, data: object, nonce?: string, language: Language = DEFAULT_LANGUAGE): RenderedCard {
    const template = this.templates.get(name);
    if (!template) throw new Error(`no card template "${name}"`);
    const values: string[] = [];
    const model = Object.fromEntries(
      Object.entries(data).map(([field, value]) =>
        value instanceof Verbatim ? [field, `${OPEN}${values.push(value.text) - 1}${CLOSE}`] : [field, value],
      ),
    );
    const key = `${name}\u0000${language}\u0000${nonce ? 'stamped' : 'plain'}\u0000${JSON.stringify(model)}`;
    // A placeholder character in a value that was not given verbatim: this card is expanded as it is, and not kept.
    if (key.split(OPEN).length - 1 !== values.length) {
      const plain = Object.fromEntries(Object.entries(data).map(([f, v]) => [f, v instanceof Verbatim ? v.text : v]));
      return rendered(expansion(template, withTexts(name, plain, language), nonce));
    }
    let kept = this.expanded.get(key);
    if (kept === undefined) {
      kept = keep(expansion(template, withTexts(name, model, language), nonce && NONCE));
      if (this.expanded.size >= KEPT_EXPANSIONS) this.expanded.delete(this.expanded.keys().next().value!);
      this.expanded.set(key, kept);
    }
    return rendered(fill(kept, (which) => (which === 'nonce' ? (nonce ?? '') : values[Number(which)]!)));
  }
}

/**
 * The view model with the card's words added as `texts` (`${$root.texts.title}`
 * in a template): the catalog's `cards.parts` and `cards.<name>` in the
 * person's language, their `{placeholders}` filled from the model's own
 * values. Texts under `each` are for the items of a list: the template fills
 * them in itself (`replace($root.texts.each.delete, '{label}', label)`).
 */
function withTexts(name: CardName, model: Record<string, unknown>, language: Language): Record<string, unknown> {
  const values: Record<string, string | number> = {};
  for (const [field, value] of Object.entries(model)) {
    if (typeof value === 'string' || typeof value === 'number') values[field] = value;
  }
  const texts: Record<string, unknown> = {};
  for (const prefix of ['cards.parts', `cards.${name}`]) {
    for (const [key, text] of Object.entries(section(language, prefix) ?? {})) {
      texts[key] = typeof text === 'string' ? t(language, `${prefix}.${key}`, values as TextValues) : (text as Catalog);
    }
  }
  return { ...model, texts };
}

/** Freezes an expansion and notes where its placeholders are. */
function keep(expansion: Expansion): Kept {
  const slots: Array<{ path: PropertyKey[]; text: string }> = [];
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (typeof node === 'string') {
      if (node.includes(OPEN)) slots.push({ path, text: node });
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) walk(value, [...path, Array.isArray(node) ? Number(key) : key]);
      Object.freeze(node);
    }
  };
  walk(expansion, []);
  return { expansion, slots };
}

/** A kept expansion with its placeholders filled in: new objects on the way to each, the rest shared. */
function fill(kept: Kept, value: (placeholder: string) => string): Expansion {
  const copies = new Set<object>();
  const set = (node: unknown, path: readonly PropertyKey[], at: number, text: string): unknown => {
    if (at === path.length) return text;
    const original = node as Record<PropertyKey, unknown>;
    const copy = copies.has(original) ? original : Array.isArray(original) ? [...original] : { ...original };
    copies.add(copy);
    (copy as Record<PropertyKey, unknown>)[path[at]!] = set(original[path[at]!], path, at + 1, text);
    return copy;
  };
  let root: unknown = kept.expansion;
  for (const slot of kept.slots)
    root = set(
      root,
      slot.path,
      0,
      slot.text.replace(PLACEHOLDER, (_, which: string) => value(which)),
    );
  return root as Expansion;
}

/** How many expansions are kept (a bounded map; the oldest goes first). */
const KEPT_EXPANSIONS = 1000;

/** Expands a template, stamps its submit actions with `nonce` (if any), and lists what the card accepts back. */
function expansion(template: Template, model: object, nonce: string | undefined): Expansion {
  const card = template.expand({ $root: model }) as Json;
  const actions: CardAction[] = [];
  const inputs: string[] = [];
  const choices: CardChoice[] = [];
  visit(card, (node) => {
    if (node.type === 'Action.Submit') {
      const data = (node.data ?? {}) as Json;
      if (nonce) node.data = { ...data, card: nonce };
      if (typeof data.action === 'string') {
        const { action, ...rest } = data;
        const extra = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
        actions.push({ title: String(node.title ?? action), action, ...(Object.keys(extra).length ? { data: extra } : {}) });
      }
    } else if (typeof node.type === 'string' && node.type.startsWith('Input.') && typeof node.id === 'string') {
      inputs.push(node.id);
      if (node.type === 'Input.ChoiceSet' && choices.length === 0) {
        for (const choice of (node.choices as Json[]) ?? []) {
          choices.push({ input: node.id, title: String(choice.title), value: String(choice.value) });
        }
      }
    }
  });
  return { card, actions, inputs, choices };
}

function rendered({ card, actions, inputs, choices }: Expansion): RenderedCard {
  let text: string | undefined;
  return {
    card,
    // Only text-only channels read it: rendered on first use.
    get text() {
      text ??= cardToText(card, actions, choices);
      return text;
    },
    actions,
    inputs,
    choices,
  };
}

/** Replaces `{ "$include": "part" }` elements with the part's elements, once, at load. */
function inlineParts(node: unknown, parts: ReadonlyMap<string, unknown[]>): unknown {
  if (Array.isArray(node)) {
    return node.flatMap((item) => {
      if (item && typeof item === 'object' && '$include' in item) {
        const part = parts.get(String((item as Json).$include));
        if (!part) throw new Error(`no card part "${(item as Json).$include}"`);
        return part.map((p) => inlineParts(p, parts));
      }
      return [inlineParts(item, parts)];
    });
  }
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineParts(v, parts)]));
  }
  return node;
}

function visit(node: unknown, fn: (node: Json) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, fn);
  } else if (node && typeof node === 'object') {
    fn(node as Json);
    for (const value of Object.values(node)) visit(value, fn);
  }
}

/**
 * Parts of cards shown on a screen only, never in a text rendering: an
 * authenticator app's key (`cards/scanQrCode.json`) must not travel by text.
 */
const SCREEN_ONLY = new Set(['manualEntry']);

/**
 * The text rendering of a card, for channels without cards (SMS) and for
 * transcripts: text blocks and facts as lines, hidden and screen-only parts
 * and images left out, submit actions as numbered choices.
 */
export function cardToText(card: Json, actions: readonly CardAction[], choices: readonly CardChoice[] = []): string {
  const lines: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const el = node as Json;
    if (el.isVisible === false || (typeof el.id === 'string' && SCREEN_ONLY.has(el.id))) return;
    switch (el.type) {
      case 'TextBlock':
        lines.push(stripMarkdown(String(el.text ?? '')));
        break;
      case 'FactSet':
        for (const fact of (el.facts as Json[]) ?? []) lines.push(`${fact.title}: ${fact.value}`);
        break;
      case 'ColumnSet': {
        const cells = ((el.columns as Json[]) ?? []).map((column) => textOf(column.items));
        lines.push(cells.filter(Boolean).join(' · '));
        break;
      }
      case 'Input.ChoiceSet': {
        if (el.label) lines.push(String(el.label));
        const numbered = choices.length > 0 && choices[0]!.input === el.id;
        ((el.choices as Json[]) ?? []).forEach((choice, i) => {
          lines.push(numbered ? `${i + 1}. ${choice.title}` : `- ${choice.title}`);
        });
        break;
      }
      case 'Input.Text':
        if (el.label) lines.push(String(el.label));
        break;
      default:
        walk(el.body);
        walk(el.items);
    }
  };
  const textOf = (items: unknown): string => {
    const saved = lines.length;
    walk(items);
    return lines.splice(saved).join(' ');
  };
  walk(card.body);
  if (actions.length > 0) {
    lines.push(actions.map((a, i) => `${choices.length + i + 1}. ${a.title}`).join('\n'));
  }
  return lines.filter((l) => l.trim() !== '').join('\n');
}

function stripMarkdown(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\[(.+?)\]\((.+?)\)/g, '$1 ($2)');
}
