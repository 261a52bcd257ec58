import type { Activity } from 'botbuilder';
import type { PersonDocument } from '../../src/state/personState';
import type { DocumentStore } from '../../src/storage/store';
import { appCodeFor } from '../support/authenticatorApp';
import { type Card, cardOf, cardText, imageOf, saidIn, submitActions } from '../support/cards';
import type { ConnectorStub } from '../support/connectorStub';
import { readOutbox } from '../support/outbox';
import { decodeQrDataUri } from '../support/qr';
import type { TwilioDouble } from '../support/twilioDouble';

/** What one request to the bot came to: its HTTP status (0: no answer at all) and what reached the chat meanwhile. */
export interface Sent {
  readonly status: number;
  readonly replies: Partial<Activity>[];
  /** What the bot said in them (texts, and notices on cards). */
  readonly said: string[];
}

/**
 * One person in Teams, over HTTP, whose chat is told apart from everyone
 * else's on the shared connector stub by its conversation: so many of them can
 * enrol at once. A request that got no answer can be sent again with the same
 * activity id, as Bot Framework delivers again.
 */
export class FaultPerson {
  readonly user: { id: string; name: string; aadObjectId: string };
  readonly conversationId: string;
  private seq = 0;

  constructor(
    private readonly bot: () => string,
    private readonly connector: ConnectorStub,
    readonly tag: string,
    readonly phone: string,
    /** Where the bot sends its replies (a fault proxy in front of the stub); the stub's own address by default. */
    private readonly serviceUrl = connector.url,
  ) {
    this.user = { id: `29:${tag}`, name: `Person ${tag}`, aadObjectId: `aad-${tag}` };
    this.conversationId = `a:personal-${tag}`;
  }

  /** The key of their document in the store. */
  get personId(): string {
    return `aad:${this.user.aadObjectId}`;
  }

  /** The E.164 form of their phone (a US number written 201 555 0123). */
  get e164(): string {
    return `+1${this.phone.replace(/\D/g, '')}`;
  }

  activity(extra: Partial<Activity>, id = `in-${this.tag}-${++this.seq}`): Partial<Activity> {
    return {
      type: 'message',
      id,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      from: this.user,
      recipient: { id: '28:bot', name: 'Security info' },
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: 'contoso-tenant', isGroup: false, name: '' },
      channelData: { tenant: { id: 'contoso-tenant' } },
      ...extra,
    };
  }

  /** Everything that reached this person's chat so far. */
  chat(): Partial<Activity>[] {
    return this.connector.received.filter((a) => a.conversation?.id === this.conversationId);
  }

  lastCard(): Card | undefined {
    return this.chat().reverse().map(cardOf).find(Boolean);
  }

  /** Posts one activity (a fresh one, or one sent before again); `timeoutMs` bounds the wait as a channel's does. */
  async post(activity: Partial<Activity>, timeoutMs = 20_000): Promise<Sent> {
    const before = this.chat().length;
    let status = 0;
    try {
      const response = await fetch(`${this.bot()}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0;
    }
    const replies = this.chat().slice(before);
    return { status, replies, said: saidIn(replies) };
  }

  send(extra: Partial<Activity>, timeoutMs?: number): Promise<Sent> {
    return this.post(this.activity(extra), timeoutMs);
  }

  open(): Promise<Sent> {
    return this.send({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'Security info' }] });
  }

  /** Clicks `title` on the last card, with typed inputs (the activity, to send again if it got no answer). */
  clickActivity(title: string, inputs: Record<string, string> = {}): Partial<Activity> {
    const action = submitActions(this.lastCard()).find((a) => a.title === title);
    if (!action) throw new Error(`${this.tag}: no "${title}" on the last card: ${cardText(this.lastCard()).slice(0, 200)}`);
    return this.activity({ value: { ...action.data, ...inputs } });
  }

  click(title: string, inputs: Record<string, string> = {}, timeoutMs?: number): Promise<Sent> {
    return this.post(this.clickActivity(title, inputs), timeoutMs);
  }
}

/** Where a person is in the wizard, read from the last card, as they would read it. */
export type Step = 'welcome' | 'getTheApp' | 'setUpAccount' | 'qr' | 'phone' | 'code' | 'registered' | 'success' | 'unknown';

export function stepOf(card: Card | undefined): Step {
  const text = cardText(card);
  if (text.includes('Success!')) return 'success';
  if (text.includes('Scan the QR code')) return 'qr';
  if (text.includes('Set up your account')) return 'setUpAccount';
  if (text.includes('Start by getting the app')) return 'getTheApp';
  if (text.includes('More information required')) return 'welcome';
  if (text.includes('What phone number would you like to use?')) return 'phone';
  if (/We just sent a 6 digit code to/.test(text)) return 'code';
  // A method registered, before the next one or the end: "Next" goes on.
  if (submitActions(card).some((a) => a.title === 'Next')) return 'registered';
  return 'unknown';
}

/** The codes texted to a number so far (newest last): from the dev outbox, or from the Twilio double. */
export type TextedCodes = (e164: string) => string[];

export const outboxCodes =
  (file: string): TextedCodes =>
  (e164) =>
    readOutbox(file)
      .filter((e) => e.channel === 'sms' && e.to === e164)
      .map((e) => /\b(\d{6})\b/.exec(e.body)?.[1])
      .filter((c): c is string => !!c);

export const twilioCodes =
  (double: TwilioDouble): TextedCodes =>
  (e164) =>
    double
      .messages()
      .filter((m) => m.form.To === e164)
      .map((m) => /\b(\d{6})\b/.exec(m.form.Body ?? '')?.[1])
      .filter((c): c is string => !!c);

/** The activity that takes the person one step on from the card they see (undefined: nothing to do, or done). */
export function nextMove(person: FaultPerson, codes: TextedCodes, now = Date.now()): Partial<Activity> | undefined {
  const card = person.lastCard();
  switch (stepOf(card)) {
    case 'welcome':
    case 'getTheApp':
    case 'setUpAccount':
    case 'registered':
      return person.clickActivity('Next');
    case 'qr':
      return person.clickActivity('Next', { code: appCodeFor(decodeQrDataUri(String(imageOf(card)?.url)), now) });
    case 'phone':
      return person.clickActivity('Next', { country: 'US', number: person.phone, method: 'sms' });
    case 'code': {
      const code = codes(person.e164).at(-1);
      return code ? person.clickActivity('Next', { code }) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Takes the person through the wizard to "Success!", one step at a time from
 * the card they see. A request that got no answer (or a 5xx) is delivered
 * again with the same id, as a channel does; a step whose card did not come
 * is asked for again by saying "hi". Returns the HTTP answers and every
 * sentence said, for the test to judge.
 */
export async function enrollThroughFaults(
  person: FaultPerson,
  codes: TextedCodes,
  options: { maxRequests?: number; timeoutMs?: number; redeliveries?: number; redeliverAfterMs?: number } = {},
): Promise<{ done: boolean; statuses: number[]; said: string[]; requests: number; silent: number }> {
  let silent = 0;
  const statuses: number[] = [];
  const said: string[] = [];
  let requests = 0;
  const maxRequests = options.maxRequests ?? 40;
  const record = (sent: Sent) => {
    requests += 1;
    statuses.push(sent.status);
    said.push(...sent.said);
    return sent;
  };
  if (!person.lastCard()) record(await person.open());
  while (requests < maxRequests) {
    if (stepOf(person.lastCard()) === 'success') return { done: true, statuses, said, requests, silent };
    const move = nextMove(person, codes) ?? person.activity({ text: 'hi' });
    let sent = record(await person.post(move, options.timeoutMs));
    // No answer, or a refusal to take it: delivered again, as the channel would (the same id).
    for (let again = 0; again < (options.redeliveries ?? 3) && (sent.status === 0 || sent.status >= 500); again++) {
      await new Promise((resolve) => setTimeout(resolve, options.redeliverAfterMs ?? 100));
      sent = record(await person.post(move, options.timeoutMs));
    }
    // An answer with nothing new on screen (a failed step): the person says hi to see where they are.
    if (sent.status === 200 && sent.replies.length === 0 && stepOf(person.lastCard()) !== 'success') {
      silent += 1;
      record(await person.send({ text: 'hi' }, options.timeoutMs));
    }
  }
  return { done: stepOf(person.lastCard()) === 'success', statuses, said, requests, silent };
}

/** How many methods of each kind a person's stored document holds. */
export async function methodsOf(store: DocumentStore, personId: string): Promise<Record<string, number>> {
  const doc = (await store.get<PersonDocument>('state', personId))?.value;
  const counts: Record<string, number> = {};
  for (const method of doc?.profile?.methods ?? []) counts[method.kind] = (counts[method.kind] ?? 0) + 1;
  return counts;
}

/** A stack trace or an exception's own words reaching a person. */
export const LEAKED = /\bat \S+ \(|Error:|TypeError|ECONN|ETIMEDOUT|SQLITE_|status code|\bstack\b/;

/** A turn's apology or refusal always carries a reference the person can quote. */
export const WITH_REFERENCE = /\(Reference: [0-9a-f]{8}\)$/;

/** A US mobile number different for each index (each number has its own cooldown and daily cap). */
export function phoneFor(index: number): string {
  return `201 ${200 + (index % 800)} ${String(1000 + Math.floor(index / 800)).padStart(4, '0')}`;
}

/** The bot as its own process (test/startup/support.ts), with only the settings given. */
export { type Running as SpawnedBot, startServer as spawnBot } from '../startup/support';
