import type { Activity } from 'botbuilder';
import { appCodeFor } from '../support/authenticatorApp';
import { BotClient } from '../support/botClient';
import type { BotFixture } from '../support/botFixture';
import { type Card, cardOf, cardText, imageOf, matchNumberIn, nodes, saidIn, submitActions } from '../support/cards';
import type { FrozenClock } from '../support/clock';
import { decodeQrDataUri, decodeQrPng } from '../support/qr';
import { type CardChoices, type SubmitPlan, submitValue } from './submits';

export interface TeamsUser {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
}

/** A Teams user for the fuzz tests, known to the connector stub's roster (so their UPN is vouched for). */
export function teamsUser(bot: BotFixture, n: number, prefix = 'fuzz'): TeamsUser {
  const user = { id: `29:${prefix}-${n}`, name: `Fuzz Person ${n}`, aadObjectId: `aad-${prefix}-${n}` };
  bot.connector.addMember({ ...user, userPrincipalName: `${prefix}.${n}@contoso.com` });
  return user;
}

/** How long one request may take before the test calls the turn hung. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** The choice inputs of a card and their options' values, in order. */
export function choiceInputs(card: Card | undefined): CardChoices {
  return nodes(card)
    .filter((n) => n.type === 'Input.ChoiceSet')
    .map((n) => ({ id: String(n.id), values: ((n.choices as Array<{ value: string }> | undefined) ?? []).map((c) => c.value) }));
}

/** The ids of a card's inputs. */
export function inputIds(card: Card | undefined): string[] {
  return nodes(card)
    .filter((n) => typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string')
    .map((n) => String(n.id));
}

/** The nonce a card stamps on its submit actions. */
export function nonceOf(card: Card | undefined): string | undefined {
  const nonce = submitActions(card)[0]?.data.card;
  return typeof nonce === 'string' ? nonce : undefined;
}

/**
 * One person in a Teams personal chat with the real server: what they post,
 * and the card in front of them (the last one the bot showed in their chat).
 */
export class Person {
  /** The card the person sees now. */
  card: Card | undefined;
  /** Every nonce of every card shown to this person, oldest first. */
  readonly nonces: string[] = [];
  private readonly client: BotClient;

  constructor(
    private readonly bot: BotFixture,
    readonly user: TeamsUser,
    /** The phone this person registers in a normal enrollment (each person their own: the daily caps are per number). */
    readonly phone = '201 555 0123',
  ) {
    this.client = new BotClient(bot.app.url, bot.connector, user);
  }

  get conversationId(): string {
    return `a:personal-${this.user.id}`;
  }

  activity(extra: Partial<Activity>): Partial<Activity> {
    return this.client.activity(extra);
  }

  /**
   * Posts a body (an activity, or anything) to /api/messages as this
   * person's client would; returns the status and the replies in this chat.
   * An answer that takes longer than REQUEST_TIMEOUT_MS is a failure (a hung turn).
   */
  async post(body: unknown): Promise<{ status: number; replies: Partial<Activity>[] }> {
    const received = this.bot.connector.received;
    const before = received.length;
    const response = await fetch(`${this.bot.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    const status = response.status;
    const replies = received.slice(before).filter((a) => a.conversation?.id === this.conversationId);
    for (const reply of replies) {
      const card = cardOf(reply);
      if (!card) continue;
      this.card = card;
      const nonce = nonceOf(card);
      if (nonce) this.nonces.push(nonce);
    }
    if (this.nonces.length > 50) this.nonces.splice(0, this.nonces.length - 50);
    return { status, replies };
  }

  async send(extra: Partial<Activity>): Promise<Partial<Activity>[]> {
    const { status, replies } = await this.post(this.activity(extra));
    if (status !== 200) throw new Error(`the bot answered ${status} to ${JSON.stringify(extra).slice(0, 200)}`);
    return replies;
  }

  say(text: string): Promise<Partial<Activity>[]> {
    return this.send({ text });
  }

  open(): Promise<Partial<Activity>[]> {
    return this.send({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'Security info' }] });
  }

  /** Sends the click a plan stands for, on the card in front of the person. */
  submit(plan: SubmitPlan): Promise<{ status: number; replies: Partial<Activity>[] }> {
    const actions = submitActions(this.card).map((a) => a.data);
    return this.post(this.activity({ value: submitValue(plan, actions, this.nonces, choiceInputs(this.card), inputIds(this.card)) }));
  }

  /** Clicks a button of the card in front of the person, with what they typed. */
  async click(title: string, inputs: Record<string, unknown> = {}): Promise<Partial<Activity>[]> {
    const action = submitActions(this.card).find((a) => a.title === title);
    if (!action) {
      const titles = submitActions(this.card).map((a) => a.title);
      throw new Error(`no "${title}" on the card in front of ${this.user.id} (it has ${titles.join(', ')}):\n${this.text()}`);
    }
    return this.send({ value: { ...action.data, ...inputs } });
  }

  /** The two digits a calling card in front of the person asks them to enter on the call, if that is the card. */
  matchNumber(): string | undefined {
    try {
      return matchNumberIn(this.card);
    } catch {
      return undefined;
    }
  }

  /** What the card in front of the person says. */
  text(): string {
    return cardText(this.card);
  }

  /** The otpauth URI of the QR code in front of the person, read from its pixels (a data URI, or a link to this bot). */
  async qrUri(): Promise<string> {
    const url = String(imageOf(this.card)?.url ?? '');
    if (url.startsWith('data:')) return decodeQrDataUri(url);
    if (!url.startsWith('http://127.0.0.1:')) throw new Error(`the QR image is not on this bot: ${url.slice(0, 80)}`);
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (response.status !== 200) throw new Error(`the QR link answered ${response.status}`);
    return decodeQrPng(Buffer.from(await response.arrayBuffer()));
  }
}

function expectOnCard(person: Person, words: string): void {
  if (!person.text().includes(words))
    throw new Error(`expected "${words}" on the card in front of ${person.user.id}; it says:\n${person.text()}`);
}

/**
 * The check every fuzz file ends with: after everything it was sent, the
 * person goes through the whole wizard as anyone does (open, Next, Next,
 * Next, the QR code, the app's code, the phone, the texted code, Success),
 * and it works. `codeTextedTo` reads the last code texted to an E.164 number.
 * Returns the otpauth URI of the app registered.
 */
export async function enrollsNormally(
  person: Person,
  clock: FrozenClock,
  codeTextedTo: (e164: string) => string,
  /** Where to stop short: on the phone's "registered" card, or on Success (before Done). */
  stopAt?: 'registered' | 'success',
): Promise<string> {
  await person.say('cancel');
  await person.open();
  expectOnCard(person, 'More information required');
  await person.click('Next');
  expectOnCard(person, 'Start by getting the app');
  await person.click('Next');
  await person.click('Next');
  const uri = await person.qrUri();
  const accepted = await person.click('Next', { code: appCodeFor(uri, clock.now()) });
  const said = saidIn(accepted).join('\n');
  if (!said.includes('Your code was accepted')) throw new Error(`the app's code was not accepted: ${said}`);
  expectOnCard(person, 'What phone number would you like to use?');
  await person.click('Next', { country: 'US', number: person.phone, method: 'sms' });
  expectOnCard(person, 'We just sent a 6 digit code');
  await person.click('Next', { code: codeTextedTo(`+1${person.phone.replace(/\D/g, '')}`) });
  if (stopAt === 'registered') return uri;
  await person.click('Next');
  expectOnCard(person, 'Success!');
  if (stopAt === 'success') return uri;
  const done = saidIn(await person.click('Done')).join('\n');
  if (!done.includes('You are all set')) throw new Error(`the wizard did not end: ${done}`);
  return uri;
}
