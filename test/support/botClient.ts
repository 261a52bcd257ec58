import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { cardOf, submitActions } from './cards';
import type { ConnectorStub } from './connectorStub';

export const TEAMS_USER = { id: '29:1adele', name: 'Adele Vance', aadObjectId: '6f1a9a2e-5d43-4c0e-9b4a-6a1d2e3f4a5b' };

/**
 * A Teams client as the bot sees it over HTTP: activities posted to
 * /api/messages, replies read from the connector stub at `serviceUrl`.
 */
export class BotClient {
  private seq = 0;
  /** Activity ids are unique, as a channel makes them (a repeated id is a repeated delivery). */
  private readonly client = randomUUID().slice(0, 8);
  /** Bot instances to rotate through, one request each (as behind a load balancer). */
  private instances: string[] = [];

  constructor(
    public appUrl: string,
    private readonly connector: ConnectorStub,
    private readonly user = TEAMS_USER,
  ) {}

  /** Sends each request to the next of `urls` in turn. */
  rotateAcross(urls: string[]): this {
    this.instances = urls;
    return this;
  }

  activity(extra: Partial<Activity>): Partial<Activity> {
    return {
      type: 'message',
      id: `in-${this.client}-${++this.seq}`,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      from: this.user,
      recipient: { id: '28:bot', name: 'Security info' },
      conversation: {
        id: `a:personal-${this.user.id}`,
        conversationType: 'personal',
        tenantId: 'contoso-tenant',
        isGroup: false,
        name: '',
      },
      channelData: { tenant: { id: 'contoso-tenant' } },
      ...extra,
    };
  }

  async post(body: unknown, contentType = 'application/json'): Promise<number> {
    if (this.instances.length > 0) this.appUrl = this.instances[this.seq % this.instances.length]!;
    const response = await fetch(`${this.appUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return response.status;
  }

  /** Sends and returns what the connector received in reply. */
  async send(extra: Partial<Activity>): Promise<Partial<Activity>[]> {
    const before = this.connector.received.length;
    const status = await this.post(this.activity(extra));
    if (status !== 200) throw new Error(`the bot answered ${status}`);
    return this.connector.received.slice(before);
  }

  /** Someone writes or clicks in a Teams channel thread (the help desk's), as Teams delivers it. */
  async inChannelThread(
    channel: string,
    rootId: string,
    from: { id: string; name: string; aadObjectId: string },
    extra: Partial<Activity>,
  ): Promise<number> {
    return this.post({
      type: 'message',
      id: `ch-${this.client}-${++this.seq}`,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      from,
      recipient: { id: '28:bot', name: 'Security info' },
      conversation: {
        id: `${channel};messageid=${rootId}`,
        conversationType: 'channel',
        isGroup: true,
        tenantId: 'contoso-tenant',
        name: '',
      },
      channelData: { tenant: { id: 'contoso-tenant' }, channel: { id: channel } },
      ...extra,
    });
  }

  async open(): Promise<Partial<Activity>[]> {
    return this.send({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'Security info' }] });
  }

  lastCard() {
    return [...this.connector.received].reverse().map(cardOf).find(Boolean);
  }

  async click(title: string, inputs: Record<string, string> = {}): Promise<Partial<Activity>[]> {
    const action = submitActions(this.lastCard()).find((a) => a.title === title);
    if (!action) throw new Error(`no "${title}" on the last card`);
    return this.send({ value: { ...action.data, ...inputs } });
  }
}
