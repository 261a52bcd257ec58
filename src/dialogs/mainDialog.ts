import type { TurnContext } from 'botbuilder';
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { supportsCards } from '../bot/channels';
import { ACCESS_PASS_DIALOG, AccessPassDialog } from './accessPassDialog';
import { AuthenticatorAppDialog } from './authenticatorAppDialog';
import { type DialogDeps, ROUTE_DIALOG } from './deps';
import { EmailDialog } from './emailDialog';
import { InterruptibleDialog } from './interruptibleDialog';
import { MANAGE_DIALOG, ManageDialog } from './manageDialog';
import { PhoneDialog } from './phoneDialog';
import { QuestionsDialog } from './questionsDialog';
import { SMS_DIALOG, SmsDialog } from './smsDialog';
import { WIZARD_DIALOG, WizardDialog, type WizardResult } from './wizardDialog';

export const MAIN_DIALOG = 'main';
const ROUTE = ROUTE_DIALOG;

/** What people type to reach manage mode. */
const MANAGE = /^(security info|my (security )?(info|methods)|manage( my security info)?|methods)$/i;
/** What a person with a Temporary Access Pass says. */
export const ACCESS_PASS = /^(temporary access pass|tap|(i have )?a (temporary )?(access )?pass)$/i;
/** What texts say to see the menu. */
const MENU = /^(menu|main menu)$/i;

/**
 * The root: a person whose security info falls short of the policy gets the
 * wizard (interrupt mode); anyone else their security info (manage mode).
 * "security info" opens manage mode from anywhere.
 */
export class MainDialog extends InterruptibleDialog {
  constructor(private readonly deps: DialogDeps) {
    super(MAIN_DIALOG);
    if (!deps) throw new Error('MainDialog needs its dependencies');
    for (const dialog of [
      WizardDialog,
      ManageDialog,
      AuthenticatorAppDialog,
      PhoneDialog,
      EmailDialog,
      QuestionsDialog,
      SmsDialog,
      AccessPassDialog,
    ]) {
      this.addDialog(new dialog(deps));
    }
    this.addDialog(new WaterfallDialog(ROUTE, [this.route.bind(this), this.finish.bind(this)]));
    this.initialDialogId = ROUTE;
    // By text, the SMS menu stands for every card dialog (none of which may show an app's key there).
    const byChannel = (dialogId: string) => (context: TurnContext) => (supportsCards(context.activity.channelId) ? dialogId : SMS_DIALOG);
    this.commands = [
      { pattern: MANAGE, dialogId: byChannel(MANAGE_DIALOG) },
      { pattern: MENU, dialogId: byChannel(MANAGE_DIALOG) },
      { pattern: ACCESS_PASS, dialogId: () => ACCESS_PASS_DIALOG },
    ];
  }

  protected override escalate(context: TurnContext): Promise<void> {
    return this.deps.escalate(context, 'asked');
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!supportsCards(step.context.activity.channelId)) return step.beginDialog(SMS_DIALOG);
    const profile = this.deps.profile(step.context);
    return step.beginDialog(this.deps.service.isComplete(profile) ? MANAGE_DIALOG : WIZARD_DIALOG);
  }

  private async finish(step: WaterfallStepContext<WizardResult>): Promise<DialogTurnResult> {
    const result = step.result as WizardResult | undefined;
    if (result && 'done' in result) {
      await step.context.sendActivity(
        'You are all set. Your security info is up to date: you can close this chat, or say "security info" to see it.',
      );
    }
    return step.endDialog();
  }
}
