import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogReason, type DialogState, type DialogTurnResult } from 'botbuilder-dialogs';
import { Interruptions } from '../conversation/interruptions';
import { type IntentClassifier, sharedClassifier } from '../conversation/nlu';
import { type FirstReply, Understanding } from '../conversation/understanding';
import { ACCESS_PASS, MANAGE, MENU } from '../conversation/words';
import { t } from '../kit/texts';
import { supportsCards } from '../presentation/channelPresenter';
import { languageOf } from '../state/personState';
import type { MethodKind } from '../verification/profile';
import { ACCESS_PASS_DIALOG, AccessPassDialog } from './accessPassDialog';
import { AuthenticatorAppDialog } from './authenticatorAppDialog';
import { CardFlowDialog } from './cardFlowDialog';
import { type DialogDeps, ROUTE_DIALOG } from './deps';
import { EmailDialog } from './emailDialog';
import { MANAGE_DIALOG, ManageDialog } from './manageDialog';
import { PhoneDialog } from './phoneDialog';
import { QuestionsDialog } from './questionsDialog';
import { SMS_DIALOG, SmsDialog } from './smsDialog';
import { StepUpDialog } from './stepUpDialog';
import { WIZARD_DIALOG, WizardDialog, type WizardResult } from './wizardDialog';

/**
 * The bottom of every person's dialog stack: a person whose security info
 * falls short of the policy gets the wizard (interrupt mode); anyone else
 * their security info (manage mode); a text, the SMS menu.
 */
class RouteDialog extends Dialog {
  constructor(private readonly deps: DialogDeps) {
    super(ROUTE_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (!supportsCards(dc.context.activity.channelId)) return dc.beginDialog(SMS_DIALOG);
    const profile = this.deps.profile(dc.context);
    return dc.beginDialog(this.deps.service.isComplete(profile) ? MANAGE_DIALOG : WIZARD_DIALOG);
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: WizardResult): Promise<DialogTurnResult> {
    if (result && 'done' in result) {
      await dc.context.sendActivity(t(languageOf(dc.context), 'wizard.allSet'));
    }
    return dc.endDialog();
  }
}

/**
 * Every dialog of the bot on one stack per person and channel (botbuilder
 * builds a dialog context for each nested component on every turn, so there
 * is none), the dialog at its bottom, and the words that interrupt any of
 * them. "security info" opens manage mode from anywhere. What people write
 * in their own words is understood where no screen takes it.
 */
export class MainDialogs {
  readonly rootId = ROUTE_DIALOG;
  readonly all: readonly Dialog[];
  /** The words that work from anywhere, then, with nothing running, free text. */
  readonly interruptions: Understanding;

  constructor(
    deps: DialogDeps,
    /** The intent classifier: by default one per process, trained when first needed (conversation/nlu.ts). */
    classifier: () => Promise<IntentClassifier> = sharedClassifier,
  ) {
    if (!deps) throw new Error('MainDialogs needs its dependencies');
    this.all = [
      new RouteDialog(deps),
      ...[
        WizardDialog,
        ManageDialog,
        AuthenticatorAppDialog,
        PhoneDialog,
        EmailDialog,
        QuestionsDialog,
        SmsDialog,
        AccessPassDialog,
        StepUpDialog,
      ].map((dialog) => new dialog(deps)),
    ];
    // By text, the SMS menu stands for every card dialog (none of which may show an app's key there).
    const byChannel = (dialogId: string) => (context: TurnContext) => (supportsCards(context.activity.channelId) ? dialogId : SMS_DIALOG);
    const words = new Interruptions(
      [
        { pattern: MANAGE, dialogId: byChannel(MANAGE_DIALOG) },
        { pattern: MENU, dialogId: byChannel(MANAGE_DIALOG) },
        { pattern: ACCESS_PASS, dialogId: () => ACCESS_PASS_DIALOG },
      ],
      ROUTE_DIALOG,
      (context) => deps.escalate(context, 'asked'),
    );
    this.interruptions = new Understanding({
      interruptions: words,
      classifier,
      manageDialog: byChannel(MANAGE_DIALOG),
      accessPassDialog: ACCESS_PASS_DIALOG,
      profile: (context) => deps.profile(context),
      note: (context, from, text) => deps.note(context, from, text),
    });
    // Where a screen does not take a typed text, what it means is read instead of "Sorry, I didn't get that".
    for (const dialog of this.all) if (dialog instanceof CardFlowDialog) dialog.understanding = this.interruptions;
  }

  /** The dialog that sets up `method` at once (a campaign's "Set it up now"), and its options; by text, the SMS menu. */
  setUpAt(context: TurnContext, method: MethodKind): { readonly dialogId: string; readonly options?: FirstReply } {
    if (!supportsCards(context.activity.channelId)) return { dialogId: SMS_DIALOG };
    return { dialogId: WIZARD_DIALOG, options: { firstReply: { action: 'setUp', values: { method } } } };
  }

  /**
   * A stack saved when everything ran inside one component dialog ("main",
   * holding its own stack) continues as the same stack, unwrapped.
   */
  static upgrade(state: DialogState): DialogState {
    const [bottom] = state.dialogStack ?? [];
    const inner = (bottom?.state as { dialogs?: DialogState } | undefined)?.dialogs;
    return bottom?.id === LEGACY_ROOT && inner?.dialogStack ? { dialogStack: inner.dialogStack } : state;
  }
}

/** The component dialog that once held every stack. */
const LEGACY_ROOT = 'main';
