import {
  type Activity,
  ActivityTypes,
  CardFactory,
  type ConversationReference,
  EventFactory,
  type Transcript,
  TurnContext,
} from 'botbuilder';
import { HELP_DESK } from '../conversation/interruptions';
import type { Logger } from '../kit/log';
import type { CardRenderer } from '../presentation/cards';
import { methodRows } from '../presentation/labels';
import { sendHeldNotices } from '../presentation/notices';
import type { PersonDocument, PersonState } from '../state/personState';
import type { AuditLog, Clock } from '../verification/ports';
import type { SecurityInfoProfile } from '../verification/profile';
import type { VerificationService } from '../verification/service';
import type { Ticket, TicketBook } from './tickets';

/** Runs a proactive turn in a conversation: a person's chat or text thread, or the help-desk channel. */
export type Reach = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

/** Opens a one-to-one chat with the sender of `activity` (an agent in the channel) and runs a turn in it. */
export type ReachPrivately = (activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

export interface HelpDeskDeps {
  readonly tickets: TicketBook;
  readonly state: PersonState;
  readonly service: VerificationService;
  readonly cards: CardRenderer;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly log: Logger;
  readonly reach: Reach;
  /** A one-to-one chat with an agent: where a Temporary Access Pass is shown (never the shared channel). */
  readonly reachPrivately: ReachPrivately;
  /** How people reach the help desk by themselves (when no channel or webhook is configured). */
  readonly contact: string;
  /** The Teams channel tickets are posted to. */
  readonly channel?: { readonly conversationId: string; readonly serviceUrl: string };
  /** The bot's Microsoft App id (the sender of channel posts). */
  readonly appId?: string;
  /** Entra object ids of the agents who may act on tickets. */
  readonly agentIds: readonly string[];
  readonly webhookUrl?: string;
  readonly repostMinutes: number;
}

/** What a code (6 digits) or a Temporary Access Pass looks like: never relayed to the help-desk channel. */
const SECRET_SHAPED = [/^\d{3}[\s-]?\d{3}$/, /^[a-z0-9]{4}[\s-][a-z0-9]{4}[\s-][a-z0-9]{4}$/i, /^(?=.*\d)[a-z0-9]{12}$/i];

/** Reminders for a ticket nobody claims (each also tells the person); after them, the ticket waits quietly. */
const MAX_REMINDERS = 3;

/** What a person says to stop a live chat with an agent. */
export const END_CHAT = /^end (the )?chat$/i;
/** What an agent's card click carries. */
const AGENT_ACTIONS = ['claim', 'message', 'reregister', 'issuePass', 'close'] as const;
type AgentAction = (typeof AGENT_ACTIONS)[number];

/**
 * The help desk, on the bot's side: tickets opened from any chat (asked for,
 * or after a lockout) with a handoff event; each posted as a card into the
 * help-desk Teams channel and to a webhook; agents' clicks (claim, message,
 * re-registration, Temporary Access Pass, close) checked against the agent
 * list and audited; messages relayed both ways while a ticket is claimed.
 */
export class HelpDesk {
  constructor(private readonly deps: HelpDeskDeps) {}

  /** Whether an activity comes from the help-desk channel (a ticket's thread, or the channel itself). */
  isHelpDeskConversation(activity: Partial<Activity>): boolean {
    const channel = this.deps.channel?.conversationId;
    const id = activity.conversation?.id ?? '';
    return !!channel && activity.channelId === 'msteams' && (id === channel || id.startsWith(`${channel};`));
  }

  // ---- The person's side --------------------------------------------------------

  /** Opens a ticket for the turn's person (or points to the one open) and says what happens next. */
  async escalate(context: TurnContext, reason: Ticket['reason']): Promise<void> {
    const doc = this.deps.state.get(context);
    const profile = doc.profile;
    if (!profile) return;
    const open = doc.helpDesk ? await this.deps.tickets.get(doc.helpDesk.ticketId) : undefined;
    if (open && open.state !== 'closed') {
      // Back to the agent after "end chat" (or a command that paused the chat).
      if (open.state === 'claimed') doc.helpDesk = { ticketId: open.id, live: true };
      await context.sendActivity(`Your help-desk ticket ${open.id} is open already. ${this.whatNext(open)}`);
      return;
    }
    const ticket = await this.deps.tickets.create({
      personId: this.deps.state.idOf(context),
      upn: profile.upn,
      displayName: profile.displayName,
      reason,
      channel: context.activity.channelId,
      ...this.describe(profile),
      recent: (doc.journal ?? []).slice(-10),
    });
    doc.helpDesk = { ticketId: ticket.id, live: false };
    await this.record(profile, ticket, `opened (${reason})`, 'escalation', context.activity.channelId);
    await this.sendHandoff(context, ticket);
    await this.post(ticket);
    await this.notifyWebhook('ticket.opened', ticket);
    const why = reason === 'locked' ? 'Verification is locked on your account, so ' : '';
    await context.sendActivity(`${why}I opened help-desk ticket ${ticket.id} for you. ${this.whatNext(ticket)}`);
  }

  /**
   * A person's message while an agent is with them goes to the agent, not to
   * the dialogs ("end chat" ends that). Returns whether it was relayed.
   */
  async relayFromPerson(context: TurnContext, doc: PersonDocument, isCommand: (text: string) => boolean): Promise<boolean> {
    const text = (context.activity.text ?? '').trim();
    if (!doc.helpDesk?.live || !text || context.activity.value) return false;
    const ticket = await this.deps.tickets.get(doc.helpDesk.ticketId);
    if (ticket?.state !== 'claimed') {
      doc.helpDesk = ticket && ticket.state !== 'closed' ? { ticketId: ticket.id, live: false } : undefined;
      return false;
    }
    if (END_CHAT.test(text)) {
      doc.helpDesk.live = false;
      await this.toThread(ticket, `${ticket.displayName} ended the chat. The ticket stays open until you close it.`);
      await context.sendActivity(
        `OK, you're back with me. Ticket ${ticket.id} stays open until the help desk closes it; say "help desk" to write to them again.`,
      );
      return true;
    }
    if (isCommand(text)) {
      // A command is for the bot: the chat with the agent pauses (so a code or a pass typed next reaches the bot, not the channel).
      if (!HELP_DESK.test(text)) {
        doc.helpDesk.live = false;
        await this.toThread(ticket, `${ticket.displayName} went back to the assistant ("${text.slice(0, 40)}").`);
      }
      return false;
    }
    if (SECRET_SHAPED.some((shape) => shape.test(text))) {
      await context.sendActivity(
        'That looks like a code or a pass, so I did not pass it on: the help desk never needs it. To give it to me, say "end chat" first.',
      );
      return true;
    }
    const via = ticket.channel === 'sms' ? ' (by text: the sender of a text can be forged)' : '';
    await this.toThread(ticket, `**${ticket.displayName}${via}:** ${text}`);
    return true;
  }

  // ---- The agents' side ---------------------------------------------------------

  /** An activity in the help-desk channel: a click on a ticket card, or an agent writing in a ticket's thread. */
  async onAgentActivity(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.type !== ActivityTypes.Message) return;
    const agent = { id: activity.from?.aadObjectId ?? '', name: activity.from?.name || 'An agent' };
    const value = activity.value && typeof activity.value === 'object' ? (activity.value as Record<string, unknown>) : undefined;
    const action = AGENT_ACTIONS.find((a) => a === value?.action);
    if (!this.deps.agentIds.includes(agent.id)) {
      // Anyone may read the channel; only the configured agents may act or speak to people.
      this.deps.log.warn(
        { agent: agent.id || 'unknown', action: action ?? 'message' },
        'help-desk action by someone who is not an agent refused',
      );
      if (value || this.mentionsBot(activity)) await context.sendActivity('Only help-desk agents can act on tickets.');
      return;
    }
    if (value) {
      const ticket = typeof value.ticket === 'string' ? await this.deps.tickets.get(value.ticket) : undefined;
      if (!ticket || !action) {
        await context.sendActivity('That ticket card is not one I know.');
        return;
      }
      await this.act(context, ticket, action, agent, value);
      return;
    }
    const text = TurnContext.removeRecipientMention(activity as Activity)?.trim() ?? '';
    const rootId = /;messageid=(\d+|[\w-]+)$/.exec(activity.conversation?.id ?? '')?.[1];
    const ticket = rootId ? await this.ticketPostedAs(rootId) : undefined;
    if (!ticket || !text) return;
    if (ticket.state !== 'claimed') {
      await context.sendActivity(ticket.state === 'open' ? 'Claim the ticket to chat with the person.' : 'This ticket is closed.');
      return;
    }
    await this.toPerson(ticket, `Help desk (${agent.name}): ${text}`);
  }

  /** Posts again the tickets nobody claimed for `repostMinutes`, and tells their people. */
  async repostStale(): Promise<number> {
    const now = this.deps.clock.now();
    const stale = await this.deps.tickets.unclaimedSince(now - this.deps.repostMinutes * 60_000);
    let reposted = 0;
    for (const candidate of stale) {
      const reminders = candidate.history.filter((h) => h.event === 'reposted').length;
      if (reminders >= MAX_REMINDERS) continue;
      // Conditional: of two instances sweeping at once, one reposts.
      const ticket = await this.deps.tickets.update(candidate.id, (t) => {
        if (t.state !== 'open' || t.lastPostedAt !== candidate.lastPostedAt) return false;
        t.lastPostedAt = now;
        t.history.push({ at: now, event: 'reposted' });
        return true;
      });
      if (!ticket) continue;
      reposted += 1;
      await this.post(ticket, true);
      await this.notifyWebhook('ticket.updated', ticket);
      const last = reminders + 1 === MAX_REMINDERS ? ` If it is urgent, contact the help desk: ${this.deps.contact}.` : '';
      await this.toPerson(
        ticket,
        `Your ticket ${ticket.id} is still waiting for an agent. I reminded the help desk; you'll hear from them here.${last}`,
      );
    }
    return reposted;
  }

  /**
   * Takes each spent Temporary Access Pass (used, expired, or replaced by a
   * newer one) out of the agent's private chat: the message that showed it now
   * says it is no longer valid. Returns how many were taken back.
   */
  async retireSpentPasses(): Promise<number> {
    const now = this.deps.clock.now();
    let retired = 0;
    for (const ticket of await this.deps.tickets.withPassMessages()) {
      const shown = ticket.passMessage!;
      const pass = (await this.deps.state.read(ticket.personId))?.profile?.accessPass;
      if (pass && pass.expiresAt === shown.expiresAt && now < shown.expiresAt) continue;
      await this.deps.reach(shown.reference, async (context) => {
        await context.updateActivity({
          id: shown.activityId,
          type: ActivityTypes.Message,
          text: `The Temporary Access Pass for ${ticket.displayName} (ticket ${ticket.id}) is no longer valid: used, expired or replaced.`,
        });
      });
      await this.deps.tickets.update(ticket.id, (t) => {
        if (t.passMessage?.activityId !== shown.activityId) return false;
        t.passMessage = undefined;
        return true;
      });
      retired += 1;
    }
    return retired;
  }

  private async act(
    context: TurnContext,
    ticket: Ticket,
    action: AgentAction,
    agent: { id: string; name: string },
    value: Record<string, unknown>,
  ): Promise<void> {
    if (ticket.state === 'closed') {
      await context.sendActivity(`Ticket ${ticket.id} is closed.`);
      return;
    }
    switch (action) {
      case 'claim': {
        const claimed = await this.deps.tickets.update(ticket.id, (t) => {
          if (t.state !== 'open') return false;
          t.state = 'claimed';
          t.agent = agent;
          t.history.push({ at: this.deps.clock.now(), event: 'claimed', by: agent.name });
          return true;
        });
        if (!claimed) {
          await context.sendActivity(`Ticket ${ticket.id} was claimed by ${ticket.agent?.name ?? 'someone else'} already.`);
          return;
        }
        await this.changePerson(claimed, agent, 'claimed', (doc) => {
          doc.helpDesk = { ticketId: claimed.id, live: true };
          return true;
        });
        await this.refresh(claimed);
        await this.toPerson(
          claimed,
          `${agent.name} from the help desk is with you now (ticket ${claimed.id}). Write here to talk to them; say "end chat" when you're done.`,
        );
        await context.sendActivity(`You claimed ${claimed.id}. Write in this thread to talk to ${claimed.displayName}.`);
        return;
      }
      case 'message': {
        const text = typeof value.message === 'string' ? value.message.trim().slice(0, 1000) : '';
        if (!text) {
          await context.sendActivity('Type a message first.');
          return;
        }
        await this.toPerson(ticket, `Help desk (${agent.name}): ${text}`);
        await this.touch(ticket.id, 'messaged', agent.name);
        return;
      }
      case 'reregister': {
        const removed = await this.changePerson(ticket, agent, 're-registration required', async (doc) =>
          doc.profile ? this.deps.service.requireReregistration(doc.profile, agent.name, 'helpdesk') : undefined,
        );
        await this.touch(ticket.id, 're-registration required', agent.name);
        const kinds = (removed ?? []).map((m) => m.kind).join(', ') || 'nothing (no app or phone was registered)';
        await context.sendActivity(`Removed from ${ticket.displayName}'s security info: ${kinds}.`);
        await this.toPerson(
          ticket,
          'The help desk removed your authenticator app and phones. Say "start" to set up your sign-in methods again (with a Temporary Access Pass if they gave you one).',
        );
        return;
      }
      case 'issuePass': {
        const lifetimeMinutes = Number(value.lifetimeMinutes ?? 60);
        const singleUse = value.singleUse !== 'false';
        const issued = await this.changePerson(ticket, agent, 'Temporary Access Pass issued', (doc) =>
          doc.profile
            ? this.deps.service.issueAccessPass(
                doc.profile,
                { lifetimeMinutes: Number.isFinite(lifetimeMinutes) ? lifetimeMinutes : 60, singleUse, issuedBy: agent.name },
                'helpdesk',
              )
            : undefined,
        );
        if (!issued) {
          await context.sendActivity('That person has no security info to issue a pass for.');
          return;
        }
        // Shown once, to the agent alone, in a one-to-one chat (never in the channel, where everyone reads):
        // it goes to the person by a channel the agent trusts, never through the bot.
        try {
          await this.deps.reachPrivately(context.activity, async (privately) => {
            const sent = await privately.sendActivity(
              `Temporary Access Pass for ${ticket.displayName} (ticket ${ticket.id}): ${issued.pass} (valid ${issued.lifetimeMinutes} minutes, ${issued.singleUse ? 'one use' : 'reusable until then'}). ` +
                'Give it to them after checking who they are (a call to a number on file, in person). They say "temporary access pass" to me in Teams and type it.',
            );
            // Kept so that the pass leaves the agent's chat history once spent (used, expired or replaced).
            const passMessage = {
              reference: TurnContext.getConversationReference(privately.activity),
              activityId: sent?.id ?? '',
              expiresAt: issued.expiresAt,
            };
            if (passMessage.activityId) {
              await this.deps.tickets.update(ticket.id, (t) => {
                t.passMessage = passMessage;
                return true;
              });
            }
          });
        } catch (err) {
          this.deps.log.warn({ err, ticket: ticket.id }, 'could not open a private chat with the agent: the pass is withdrawn');
          await this.changePerson(ticket, agent, 'Temporary Access Pass withdrawn (no private chat with the agent)', (doc) => {
            if (!doc.profile?.accessPass) return undefined;
            doc.profile.accessPass = undefined;
            return true;
          });
          await context.sendActivity(
            'I could not open a private chat with you, so no pass was issued. Open a chat with me, then try again.',
          );
          return;
        }
        await this.touch(ticket.id, 'Temporary Access Pass issued', agent.name);
        await context.sendActivity(
          `${agent.name} issued a Temporary Access Pass for ${ticket.displayName}; it is in your private chat with me.`,
        );
        await this.toPerson(
          ticket,
          'The help desk has a Temporary Access Pass for you. When they give it to you, say "temporary access pass" here and type it.',
        );
        return;
      }
      case 'close': {
        const closed = await this.deps.tickets.update(ticket.id, (t) => {
          t.state = 'closed';
          t.history.push({ at: this.deps.clock.now(), event: 'closed', by: agent.name });
          return true;
        });
        if (!closed) return;
        await this.changePerson(closed, agent, 'closed', (doc) => {
          if (doc.helpDesk?.ticketId !== closed.id) return undefined;
          doc.helpDesk = undefined;
          return true;
        });
        await this.refresh(closed);
        await this.toPerson(
          closed,
          `${agent.name} closed your help-desk ticket ${closed.id}. Say "help desk" any time you need a person again.`,
        );
        await context.sendActivity(`Ticket ${closed.id} is closed.`);
        return;
      }
    }
  }

  // ---- Internals ----------------------------------------------------------------

  /** Changes the person's document (as a webhook would) and audits the agent's action. */
  private async changePerson<T>(
    ticket: Ticket,
    agent: { name: string },
    what: string,
    change: (doc: PersonDocument) => Promise<T | undefined> | T | undefined,
  ): Promise<T | undefined> {
    const updated = await this.deps.state.update(ticket.personId, change);
    const profile = updated?.doc.profile;
    if (profile) await this.record(profile, ticket, `${what} by ${agent.name}`, 'admin.action', 'helpdesk');
    return updated?.result;
  }

  private async touch(id: string, event: string, by: string): Promise<void> {
    const ticket = await this.deps.tickets.update(id, (t) => {
      t.history.push({ at: this.deps.clock.now(), event, by });
      return true;
    });
    if (ticket) await this.notifyWebhook('ticket.updated', ticket);
  }

  private describe(profile: SecurityInfoProfile): Pick<Ticket, 'methods' | 'policy'> {
    const status = this.deps.service.policyStatus(profile);
    return {
      methods: methodRows(profile).map((r) => `${r.label}: ${r.detail}`),
      policy: { mfaMet: status.mfa.met, ssprMet: status.sspr.met, locked: !!this.deps.service.lockStatus(profile) },
    };
  }

  private whatNext(ticket: Ticket): string {
    if (!this.deps.channel && !this.deps.webhookUrl) {
      return `Please contact the help desk (${this.deps.contact}) and give them this number.`;
    }
    return ticket.state === 'claimed'
      ? `${ticket.agent?.name ?? 'An agent'} is on it: write here to talk to them.`
      : 'A help-desk agent will write to you here. Meanwhile you can keep going with me.';
  }

  private async record(profile: SecurityInfoProfile, ticket: Ticket, detail: string, event: 'escalation' | 'admin.action', via: string) {
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      userId: profile.userId,
      upn: profile.upn,
      event,
      result: 'success',
      via,
      detail: `ticket ${ticket.id} ${detail}`,
    });
  }

  /** botbuilder's handoff event, with the last steps as its transcript (no secret is ever in them). */
  private async sendHandoff(context: TurnContext, ticket: Ticket): Promise<void> {
    const transcript: Transcript = {
      activities: ticket.recent.map(
        (step) =>
          ({
            type: ActivityTypes.Message,
            text: step.text,
            timestamp: new Date(step.at),
            from: step.from === 'bot' ? context.activity.recipient : context.activity.from,
          }) as Activity,
      ),
    };
    const handoff = EventFactory.createHandoffInitiation(context, { ticketId: ticket.id, reason: ticket.reason }, transcript);
    // What was said before goes out first, on its own: a refused handoff event must not take it along.
    await sendHeldNotices(context);
    try {
      await context.sendActivity(handoff);
    } catch (err) {
      // Channels without a handoff (Teams) may refuse the event: the ticket stands regardless.
      this.deps.log.debug({ err, channelId: context.activity.channelId }, 'the channel refused the handoff event');
    }
  }

  /** Posts the ticket's card into the help-desk channel (a new thread) and remembers where. */
  private async post(ticket: Ticket, reminder = false): Promise<void> {
    const channel = this.deps.channel;
    if (!channel) return;
    let activityId: string | undefined;
    try {
      await this.deps.reach(this.channelReference(channel.conversationId), async (context) => {
        activityId = (await context.sendActivity(this.card(ticket, reminder)))?.id;
      });
    } catch (err) {
      this.deps.log.error({ err, ticket: ticket.id }, 'could not post the ticket to the help-desk channel');
      return;
    }
    if (!activityId) return;
    const post = { conversationId: channel.conversationId, activityId };
    ticket.post = post;
    await this.deps.tickets.update(ticket.id, (t) => {
      t.post = post;
      t.postedAs = [...(t.postedAs ?? []), activityId!];
      return true;
    });
  }

  /** Replaces the ticket's card in the channel with its current state. */
  private async refresh(ticket: Ticket): Promise<void> {
    const post = ticket.post;
    if (!post) return;
    await this.deps
      .reach(this.channelReference(post.conversationId), async (context) => {
        await context.updateActivity({ ...this.card(ticket), id: post.activityId });
      })
      .catch((err) => this.deps.log.warn({ err, ticket: ticket.id }, 'could not update the ticket card'));
    await this.notifyWebhook('ticket.updated', ticket);
  }

  private card(ticket: Ticket, reminder = false): Partial<Activity> {
    const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16);
    const rendered = this.deps.cards.render('ticket', {
      ...ticket,
      reminder,
      opened: `${when(ticket.createdAt)} UTC`,
      reasonText: ticket.reason === 'locked' ? 'Locked out after failed verifications' : 'Asked for a person',
      channelText:
        ticket.channel === 'sms' ? "SMS (a text can be sent in anyone's name: check who they are before you act)" : ticket.channel,
      agentName: ticket.agent?.name ?? '',
      methodsText: ticket.methods.length > 0 ? ticket.methods.join('\n\n') : 'none',
      policyText: `Sign-in: ${ticket.policy.mfaMet ? 'met' : 'not met'} · Password reset: ${ticket.policy.ssprMet ? 'met' : 'not met'}${ticket.policy.locked ? ' · locked' : ''}`,
      steps: ticket.recent.slice(-8).map((s) => `${s.from === 'bot' ? 'Bot' : 'Person'}: ${s.text}`),
    });
    return { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(rendered.card)] };
  }

  private channelReference(conversationId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: this.deps.channel!.serviceUrl,
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' },
      bot: { id: this.deps.appId ? `28:${this.deps.appId}` : 'security-info-assistant', name: 'Security info' },
    };
  }

  private async toThread(ticket: Ticket, text: string): Promise<void> {
    if (!ticket.post) return;
    const thread = `${ticket.post.conversationId};messageid=${ticket.post.activityId}`;
    await this.deps
      .reach(this.channelReference(thread), async (context) => {
        await context.sendActivity(text);
      })
      .catch((err) => this.deps.log.warn({ err, ticket: ticket.id }, 'could not write in the ticket thread'));
  }

  /** A proactive message in the chat the person asked from. */
  private async toPerson(ticket: Ticket, text: string): Promise<void> {
    const doc = await this.deps.state.read(ticket.personId);
    const reference = doc?.conversations[ticket.channel];
    if (!reference) return;
    await this.deps
      .reach(reference, async (context) => {
        await context.sendActivity(text);
      })
      .catch((err) => this.deps.log.warn({ err, ticket: ticket.id }, 'could not reach the person'));
  }

  private async ticketPostedAs(rootId: string): Promise<Ticket | undefined> {
    return (await this.deps.tickets.recent()).find((t) => t.postedAs?.includes(rootId));
  }

  private mentionsBot(activity: Partial<Activity>): boolean {
    return (activity.entities ?? []).some((e) => e.type === 'mention' && e.mentioned?.id === activity.recipient?.id);
  }

  private async notifyWebhook(type: 'ticket.opened' | 'ticket.updated', ticket: Ticket): Promise<void> {
    const url = this.deps.webhookUrl;
    if (!url) return;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, ticket }),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) this.deps.log.warn({ status: response.status, ticket: ticket.id }, 'the help-desk webhook refused a ticket');
    } catch (err) {
      this.deps.log.warn({ err, ticket: ticket.id }, 'could not reach the help-desk webhook');
    }
  }
}
