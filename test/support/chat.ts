import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import { ActivityTypes, TestAdapter } from 'botbuilder';
import { turnErrorHandler } from '../../src/bot/turnErrors';
import { DevOutbox } from '../../src/delivery/devOutbox';
import { composeBot } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import type { Directory } from '../../src/state/directory';
import { SqliteStore } from '../../src/storage/sqliteStore';
import type { DocumentStore } from '../../src/storage/store';
import { defaultPolicy, type Policy } from '../../src/verification/policy';
import { cryptoRandom, type Random } from '../../src/verification/ports';
import { SecretBox } from '../../src/verification/secretBox';
import { type Card, cardOf, saidIn, submitActions } from './cards';
import { FrozenClock } from './clock';
import { testKey } from './keys';

/** A TestAdapter that keeps the whole chat as a person sees it, card updates included. */
class RecordingAdapter extends TestAdapter {
  readonly shown: Partial<Activity>[] = [];
  readonly updates: Partial<Activity>[] = [];

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses = await super.sendActivities(context, activities);
    this.shown.push(...activities.filter((a) => a.type === ActivityTypes.Message));
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | undefined> {
    this.updates.push(activity);
    const index = this.shown.findIndex((a) => a.id === activity.id);
    if (index >= 0) this.shown[index] = { ...this.shown[index], ...activity };
    return (await super.updateActivity(context, activity)) ?? undefined;
  }
}

/** A policy that requires only the authenticator app (the phone stays optional). */
export const appOnlyPolicy: Policy = {
  ...defaultPolicy,
  roles: {
    ...defaultPolicy.roles,
    employee: { ...defaultPolicy.roles.employee!, requiredMethods: ['authenticatorApp'], ssprMethodsRequired: 1 },
  },
};

export interface ChatOptions {
  readonly policy?: Policy;
  readonly directory?: Directory;
  readonly clock?: FrozenClock;
  readonly store?: DocumentStore;
  readonly random?: Random;
  readonly userId?: string;
  readonly upn?: string;
  /** The client's locale on every activity (Teams sends the person's: "es-MX"). */
  readonly locale?: string;
}

/**
 * One person chatting with the bot through botbuilder's TestAdapter: the real
 * dialogs, services and SQLite store, with a frozen clock.
 */
export class Chat {
  readonly clock: FrozenClock;
  readonly store: DocumentStore;
  readonly adapter: RecordingAdapter;
  readonly parts: ReturnType<typeof composeBot>;
  readonly outbox: DevOutbox;

  constructor(options: ChatOptions = {}) {
    this.clock = options.clock ?? new FrozenClock();
    const random = options.random ?? cryptoRandom;
    this.store = options.store ?? new SqliteStore(':memory:', this.clock, random);
    const log = createLogger('silent');
    this.outbox = new DevOutbox(fs.mkdtempSync(path.join(os.tmpdir(), 'chat-')), 'http://localhost:3978', this.clock, log);
    this.parts = composeBot({
      store: this.store,
      clock: this.clock,
      random,
      log,
      secretBox: new SecretBox([testKey()], random),
      orgName: 'Contoso',
      sender: this.outbox,
      policy: options.policy ?? defaultPolicy,
      directory: options.directory,
      trustClientNames: true, // as in local mode: the Emulator's name is the UPN
    });
    const bot = this.parts.bot;
    this.adapter = new RecordingAdapter((context) => bot.run(context), {
      channelId: 'emulator',
      serviceUrl: 'https://test.invalid',
      from: { id: options.userId ?? 'user-1', name: options.upn ?? 'adele@contoso.com' },
      recipient: { id: 'bot', name: 'Security info' },
      conversation: { id: `conv-${options.userId ?? 'user-1'}`, isGroup: false, name: 'chat', conversationType: 'personal' },
      ...(options.locale ? { locale: options.locale } : {}),
    });
    this.adapter.onTurnError = turnErrorHandler(log, random);
  }

  /** Sends text, or a card submit value; returns what the bot showed in reply. */
  async send(input: string | Record<string, unknown>): Promise<Partial<Activity>[]> {
    const before = this.adapter.shown.length;
    const activity: Partial<Activity> =
      typeof input === 'string' ? { type: ActivityTypes.Message, text: input } : { type: ActivityTypes.Message, value: input };
    await this.adapter.processActivity(activity);
    return this.adapter.shown.slice(before);
  }

  /** The bot wakes this conversation, as a call webhook does through a proactive turn. */
  async wake(): Promise<Partial<Activity>[]> {
    const before = this.adapter.shown.length;
    await this.adapter.processActivity({ type: ActivityTypes.Event, name: 'ContinueConversation' });
    return this.adapter.shown.slice(before);
  }

  /** The person opens the chat (Teams install, Emulator connect). */
  async open(): Promise<Partial<Activity>[]> {
    const before = this.adapter.shown.length;
    await this.adapter.processActivity({
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [
        { id: 'user-1', name: 'adele@contoso.com' },
        { id: 'bot', name: 'Security info' },
      ],
    });
    return this.adapter.shown.slice(before);
  }

  /** Clicks the button titled `title` on a card (by default the last card shown), with typed inputs. */
  async click(title: string, inputs: Record<string, string> = {}, card: Card | undefined = this.lastCard()): Promise<Partial<Activity>[]> {
    const action = submitActions(card).find((a) => a.title === title);
    if (!action)
      throw new Error(
        `no "${title}" on the card; it has: ${submitActions(card)
          .map((a) => a.title)
          .join(', ')}`,
      );
    return this.send({ ...action.data, ...inputs });
  }

  lastCard(): Card | undefined {
    for (let i = this.adapter.shown.length - 1; i >= 0; i--) {
      const card = cardOf(this.adapter.shown[i]);
      if (card) return card;
    }
    return undefined;
  }

  /** The current state of an activity shown earlier (after any update). */
  current(activity: Partial<Activity>): Partial<Activity> | undefined {
    return this.adapter.shown.find((a) => a.id === activity.id);
  }
}

/** What the bot said in these replies (texts, and notices at the top of cards). */
export function textsOf(replies: Partial<Activity>[]): string[] {
  return saidIn(replies);
}

export function cardsOf(replies: Partial<Activity>[]): Card[] {
  return replies.map(cardOf).filter((c): c is Card => c !== undefined);
}
