import { type Activity, ActivityHandler, ActivityTypes, type InvokeResponse, TurnContext } from 'botbuilder';
import { DialogSet, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { type CampaignSubmit, type CardAnswer, campaignSubmitOf } from '../campaigns/cardActions';
import { REPEATED_DELIVERY } from '../dialogs/deps';
import { MainDialogs } from '../dialogs/mainDialog';
import type { HelpDesk } from '../helpdesk/helpDesk';
import { BusyError, PreconditionFailedError } from '../kit/errors';
import type { Logger } from '../kit/log';
import { DEFAULT_LANGUAGE, type Language, languageOfLocale, t } from '../kit/texts';
import { withTurnLanguage } from '../kit/turnLanguage';
import { currentTurnReplay, TurnReplay, withTurnReplay } from '../kit/turnReplay';
import { holdNotices } from '../presentation/notices';
import { chooseLanguage, languageOf, type PersonState } from '../state/personState';
import type { Clock } from '../verification/ports';
import { newProfile, type SecurityInfoProfile } from '../verification/profile';
import { describePerson, type Person, personIdOf, refusalOf, tenantsOf } from './identity';
import { PersonTurns, RecentKeys } from './personTurns';
import type { SmsGate } from './smsGate';
import type { TurnGate } from './turnGate';
import { TurnOutbox } from './turnOutbox';

/** Where a turn keeps botbuilder-dialogs' memory-scope configuration (DialogStateManager reads it from there). */
const MEMORY_SCOPES_KEY = 'DialogStateManagerConfiguration';

/** How many times a turn runs at most when its saves keep losing to other turns of the same person. */
const TURN_RUNS = 3;

/** The event name of botbuilder's proactive continuation activity. */
const CONTINUE_CONVERSATION = 'ContinueConversation';

export interface EnrollmentBotDeps {
  readonly state: PersonState;
  /** Every dialog, the one at the bottom of each stack, and the words that interrupt them. */
  readonly dialogs: MainDialogs;
  readonly log: Logger;
  readonly orgName: string;
  /** The person's role: from the directory when the UPN is vouched for, else the policy's default role. */
  readonly roleOf: (upn: string, upnVerified: boolean) => string;
  /** Local unauthenticated mode (no MicrosoftAppId): names from the Emulator or Playground are taken as they are. */
  readonly trustClientNames?: boolean;
  /** When set, only this Entra tenant is served. */
  readonly allowedTenantId?: string;
  /** When set (outside local mode), only these channels are served. */
  readonly allowedChannels?: ReadonlySet<string>;
  /** Who the UPN belongs to already (a person first met by SMS), for one security info across channels. */
  readonly personOfUpn: (upn: string) => Promise<string | undefined>;
  /** What every text passes first: limits, STOP / START / HELP, and who the number belongs to. */
  readonly sms: SmsGate;
  /** Tickets, the help-desk channel, and the relay between agents and people. */
  readonly helpDesk: HelpDesk;
  /** Whether verification is locked for the person (a new lock opens a ticket). */
  readonly isLocked: (profile: SecurityInfoProfile) => boolean;
  /** The turn's time. */
  readonly clock: Clock;
  /** How many turns run at once on this instance, and how long the others wait. */
  readonly gate: TurnGate;
  /** Clicks on registration campaign cards (docs/campaigns.md); absent, such a click is an old card. */
  readonly campaigns?: {
    answerCard(submit: CampaignSubmit, profile: SecurityInfoProfile, via: string, language: Language): Promise<CardAnswer>;
  };
}

/** The directory's description of a person met by SMS, for their new profile. */
const VOUCHED = Symbol('vouchedPerson');

/**
 * The turn: who is this, load their one document, run the dialog, save the
 * document once. Everything conversational lives in the dialogs.
 */
export class EnrollmentBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  /** One turn at a time per person on this instance: a double click waits for the first click's turn to be saved. */
  private readonly turns = new PersonTurns();
  /** The activities this instance answered lately: a repeat of one of them gets no second answer. */
  private readonly answered = new RecentKeys(10_000);
  /** botbuilder-dialogs' memory-scope configuration, worked out in the first turn and given to every later one. */
  private memoryScopes: DialogStateManagerConfiguration | undefined;

  constructor(private readonly deps: EnrollmentBotDeps) {
    super();
    for (const name of ['state', 'dialogs', 'log', 'orgName', 'roleOf', 'personOfUpn', 'sms', 'helpDesk', 'isLocked'] as const) {
      if (!deps[name]) throw new Error(`EnrollmentBot needs ${name}`);
    }
    this.dialogs = new DialogSet(deps.state.dialogStateAccessor());
    for (const dialog of deps.dialogs.all) this.dialogs.add(dialog);

    this.onMessage(async (context, next) => {
      if (context.turnState.get(REPEATED_DELIVERY)) {
        // Its effects are done already: only where the person is, shown again.
        await this.runDialog(context, 'continueIfActive');
        await next();
        return;
      }
      await this.ensureProfile(context);
      const doc = this.deps.state.get(context);
      const campaignClick = this.deps.campaigns && campaignSubmitOf(context.activity.value);
      if (campaignClick) {
        await this.answerCampaign(context, campaignClick, doc.profile!);
        await next();
        return;
      }
      // With an agent on the line, what the person writes is for the agent.
      const isCommand = (text: string) => this.deps.dialogs.interruptions.isCommand(text);
      if (!(await this.deps.helpDesk.relayFromPerson(context, doc, isCommand))) {
        const lockedBefore = this.deps.isLocked(doc.profile!);
        await this.runDialog(context, 'continueOrBegin');
        if (!lockedBefore && doc.profile && this.deps.isLocked(doc.profile)) await this.deps.helpDesk.escalate(context, 'locked');
      }
      await next();
    });
    this.onEvent(async (context, next) => {
      // A proactive wake-up (a call webhook arrived): the waiting dialog looks again.
      if (context.activity.name === CONTINUE_CONVERSATION) await this.runDialog(context, 'continueIfActive');
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const someoneJoined = (context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient.id);
      const botInstalled = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      if (someoneJoined || (botInstalled && context.activity.conversation.conversationType === 'personal')) {
        await this.ensureProfile(context);
        await this.runDialog(context, 'beginIfIdle');
      }
      await next();
    });
  }

  /** Invokes (Action.Execute, message extensions) are nothing this bot offers: acknowledged, and nothing is done. */
  protected override async onInvokeActivity(_context: TurnContext): Promise<InvokeResponse> {
    return { status: 200 };
  }

  override async run(context: TurnContext): Promise<void> {
    const { activity } = context;
    const refusal = refusalOf(activity, this.deps);
    if (refusal === 'channel') {
      // Silent: a channel nobody meant to serve gets nothing to probe.
      this.deps.log.warn({ channelId: activity.channelId }, 'activity from a channel not served refused');
      return;
    }
    if (refusal === 'tenant') {
      this.deps.log.warn({ channelId: activity.channelId, tenants: tenantsOf(activity) }, 'activity from another tenant refused');
      if (activity.type === ActivityTypes.Message) {
        await context.sendActivity(t(localeLanguage(activity), 'bot.otherTenant', { orgName: this.deps.orgName }));
      }
      return;
    }
    if (this.deps.helpDesk.isHelpDeskConversation(activity)) {
      await this.deps.helpDesk.onAgentActivity(context);
      return;
    }
    if (
      activity.channelId === 'msteams' &&
      activity.conversation?.conversationType &&
      activity.conversation.conversationType !== 'personal'
    ) {
      // Security info is personal: never in a group chat or a team channel, where others would see it.
      if (activity.type === ActivityTypes.Message) {
        await context.sendActivity(t(localeLanguage(activity), 'bot.personalOnly'));
      }
      return;
    }
    let personId = personIdOf(activity);
    if (activity.channelId === 'sms') {
      if (activity.type !== ActivityTypes.Message && activity.type !== ActivityTypes.Event) return;
      const sender = await this.deps.sms.admit(context);
      if (!sender) return;
      personId = sender.personId;
      context.turnState.set(VOUCHED, sender.person);
    }
    if (!personId) {
      this.deps.log.warn({ channelId: activity.channelId, type: activity.type }, 'activity without a sender ignored');
      return;
    }
    const ran = await this.deps.gate.run(() =>
      this.turns.run(personId, () =>
        withTurnReplay(new TurnReplay(this.deps.clock.now()), () => withTurnLanguage(() => this.commitThenSpeak(context, personId))),
      ),
    );
    if (!ran) throw new BusyError('turns_queued_too_long');
  }

  /**
   * Runs the turn on the person's document and saves it; only then does what
   * the turn said go out. A save lost to another turn of the same person
   * (another instance) runs the turn again on fresh state, a few times at
   * most; whatever the runs did that cannot be undone happens once (TurnReplay).
   */
  private async commitThenSpeak(context: TurnContext, personId: string): Promise<void> {
    const notices = holdNotices(context);
    const outbox = new TurnOutbox(context, this.deps.log);
    let saved = false;
    try {
      for (let run = 1; !saved; run++) {
        const doc = await this.deps.state.load(context, personId);
        // Met by SMS first, then in Teams: the Teams document holds the security info now.
        if (doc.movedTo) await this.deps.state.load(context, doc.movedTo);
        // A channel delivers again when unsure the first arrived: the repeat is the same turn, done already. When this
        // instance spoke for it, it stays silent; otherwise (the instance that ran it may have stopped before it spoke)
        // the person is shown where they are, and nothing else happens.
        if (!this.deps.state.firstDelivery(context)) {
          const answered = this.answered.has(deliveryKey(context));
          this.deps.log.info({ channelId: context.activity.channelId, answered }, 'repeated delivery of an activity');
          if (answered) {
            await notices.close();
            outbox.release();
            saved = true;
            return;
          }
          context.turnState.set(REPEATED_DELIVERY, true);
        }
        await super.run(context);
        await notices.close();
        try {
          await this.deps.state.save(context);
          saved = true;
        } catch (err) {
          if (!(err instanceof PreconditionFailedError) || run >= TURN_RUNS) throw err;
          this.deps.log.info(
            { channelId: context.activity.channelId, run },
            'turn lost its save to another; running it again on fresh state',
          );
          notices.discard();
          notices.reopen();
          outbox.discard();
          this.deps.state.forget(context);
          currentTurnReplay()?.rerun();
        }
      }
    } finally {
      // A turn that failed said nothing: the error handler speaks for it.
      if (!saved) {
        notices.discard();
        await notices.close();
        outbox.release();
      }
    }
    const ids = await outbox.flush();
    this.answered.add(deliveryKey(context));
    await this.deps.state.renameActivities(context, ids);
  }

  /** The profile of the turn's person, created on first contact. */
  private async ensureProfile(context: TurnContext): Promise<SecurityInfoProfile> {
    const doc = this.deps.state.get(context);
    if (!doc.profile) {
      const vouched = context.turnState.get(VOUCHED) as Person | undefined;
      const person = vouched ?? (await describePerson(context, personIdOf(context.activity)!, this.deps.log, !!this.deps.trustClientNames));
      const upnVerified = person.upnVerified || !!this.deps.trustClientNames;
      // A UPN vouched for (Teams' roster, the directory for a phone on file) finds this document from then on.
      const metBefore = person.upnVerified ? await this.deps.personOfUpn(person.upn) : undefined;
      if (!metBefore || !(await this.deps.state.adopt(context, metBefore))) {
        doc.profile = newProfile({ ...person, userId: person.id, role: this.deps.roleOf(person.upn, upnVerified), upnVerified });
      }
      if (person.upnVerified) this.deps.state.linkUpn(context, person.upn);
    }
    if (!doc.profile) throw new Error('no profile after adoption');
    // Their client's language is a first guess at theirs (docs/i18n.md).
    const locale = languageOfLocale(context.activity.locale);
    if (locale) chooseLanguage(context, locale, 'locale');
    // The directory may have moved the person to another role since.
    doc.profile.role = this.deps.roleOf(doc.profile.upn, !!doc.profile.upnVerified);
    const reference = TurnContext.getConversationReference(context.activity);
    delete reference.activityId; // changes every turn; the rest is where to reach the person
    doc.conversations[context.activity.channelId] = JSON.parse(JSON.stringify(reference));
    return doc.profile;
  }

  /** A campaign card's click: its answer, then, for "Set it up now", the wizard at the method (whatever was running is left). */
  private async answerCampaign(context: TurnContext, submit: CampaignSubmit, profile: SecurityInfoProfile): Promise<void> {
    const answer = await this.deps.campaigns!.answerCard(submit, profile, context.activity.channelId, languageOf(context));
    await context.sendActivity(answer.say);
    if (answer.setUp) await this.runDialog(context, 'continueOrBegin', this.deps.dialogs.setUpAt(context, answer.setUp));
  }

  private async runDialog(
    context: TurnContext,
    mode: 'continueOrBegin' | 'beginIfIdle' | 'continueIfActive',
    /** Begun instead, after whatever is running is cancelled. */
    instead?: { readonly dialogId: string; readonly options?: object },
  ): Promise<void> {
    // botbuilder-dialogs works out its memory scopes afresh every turn unless the turn already has them: they never change.
    if (this.memoryScopes) context.turnState.set(MEMORY_SCOPES_KEY, this.memoryScopes);
    const dialogs = this.deps.state.get(context).dialogs;
    const stored = dialogs[context.activity.channelId];
    if (stored) dialogs[context.activity.channelId] = MainDialogs.upgrade(stored);
    const dc = await this.dialogs.createContext(context);
    this.memoryScopes ??= context.turnState.get(MEMORY_SCOPES_KEY);
    if (instead) {
      await dc.cancelAllDialogs();
      await dc.beginDialog(instead.dialogId, instead.options);
      return;
    }
    if (mode === 'continueOrBegin' && (await this.deps.dialogs.interruptions.handle(dc))) return;
    if (dc.activeDialog) {
      if (mode !== 'beginIfIdle') await dc.continueDialog();
      return;
    }
    if (mode === 'continueIfActive') return;
    if (isCardSubmit(context.activity)) {
      await context.sendActivity(t(languageOf(context), 'notices.staleCard'));
    }
    await dc.beginDialog(this.deps.dialogs.rootId);
  }
}

/** Which activity of which conversation this turn is for. */
function deliveryKey(context: TurnContext): string {
  const { channelId, conversation, id } = context.activity;
  return `${channelId}\n${conversation?.id}\n${id}`;
}

/** The language of an activity's locale, for a word to someone who is not served (no document is read for them). */
function localeLanguage(activity: Partial<Activity>): Language {
  return languageOfLocale(activity.locale) ?? DEFAULT_LANGUAGE;
}

function isCardSubmit(activity: Partial<Activity>): boolean {
  return !!activity.value && typeof activity.value === 'object';
}
