import http from 'node:http';
import type { Activity } from 'botbuilder';
import { closeServer, listenOnLoopback } from './loopback';

export interface TeamsMember {
  readonly id: string;
  readonly name: string;
  readonly userPrincipalName: string;
  readonly aadObjectId: string;
}

/**
 * A local stand-in for the Bot Connector service at `serviceUrl`: it receives
 * the bot's replies and card updates as a channel would, and answers the
 * Teams member lookup.
 */
export class ConnectorStub {
  readonly received: Partial<Activity>[] = [];
  readonly updates: Partial<Activity>[] = [];
  /** Conversations the bot opened (one-to-one chats), with their parameters. */
  readonly created: Array<{ id: string; members: Array<{ id: string }>; tenantId?: string }> = [];
  /** Refuse to open conversations (as Teams does when the user has not installed the app). */
  refuseNewConversations = false;
  /** Answers a request to open a conversation instead of opening it (a 429 with Retry-After, a 403 for one member...). */
  answerNewConversation?: (members: string[]) => { status: number; headers?: Record<string, string> } | undefined;
  /** Every request to open a conversation, answered or not: the member ids asked for. */
  readonly conversationRequests: string[][] = [];
  private readonly server: http.Server;
  private members = new Map<string, TeamsMember>();
  private nextId = 1;
  url = '';

  constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  addMember(member: TeamsMember): void {
    this.members.set(member.id, member);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && member) {
        const found = this.members.get(decodeURIComponent(member[1]!));
        return found ? reply(200, found) : reply(404, { error: { code: 'MemberNotFoundInConversation' } });
      }
      if (req.method === 'POST' && url.pathname === '/v3/conversations') {
        if (this.refuseNewConversations) return reply(403, { error: { code: 'BotNotInConversationRoster' } });
        const parsed = JSON.parse(body) as { members?: Array<{ id: string }>; tenantId?: string };
        this.conversationRequests.push((parsed.members ?? []).map((m) => m.id));
        const answer = this.answerNewConversation?.((parsed.members ?? []).map((m) => m.id));
        if (answer) {
          res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
          res.end(JSON.stringify({ error: { code: answer.status === 429 ? 'TooManyRequests' : 'Forbidden' } }));
          return;
        }
        const conversation = { id: `a:private-${this.nextId++}`, members: parsed.members ?? [], tenantId: parsed.tenantId };
        this.created.push(conversation);
        return reply(201, { id: conversation.id });
      }
      if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(url.pathname)) {
        const activity = { ...JSON.parse(body), id: `act-${this.nextId++}` } as Partial<Activity>;
        this.received.push(activity);
        return reply(200, { id: activity.id });
      }
      if (req.method === 'PUT' && /^\/v3\/conversations\/[^/]+\/activities\/[^/]+$/.test(url.pathname)) {
        const activity = JSON.parse(body) as Partial<Activity>;
        this.updates.push(activity);
        return reply(200, { id: activity.id });
      }
      reply(404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
    });
  }
}
