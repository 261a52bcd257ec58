import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { AuthenticatorAppDialog } from './authenticatorAppDialog';
import type { DialogDeps } from './deps';
import { InterruptibleDialog } from './interruptibleDialog';
import { methodRows, signInLabel } from './labels';
import { PhoneDialog } from './phoneDialog';
import { WIZARD_DIALOG, WizardDialog, type WizardResult } from './wizardDialog';

export const MAIN_DIALOG = 'main';
const ROUTE = 'main.route';

/**
 * The root: a person whose security info falls short of the policy gets the
 * wizard (interrupt mode); anyone else a summary of their methods.
 */
export class MainDialog extends InterruptibleDialog {
  constructor(private readonly deps: DialogDeps) {
    super(MAIN_DIALOG);
    if (!deps) throw new Error('MainDialog needs its dependencies');
    this.addDialog(new WizardDialog(deps));
    this.addDialog(new AuthenticatorAppDialog(deps));
    this.addDialog(new PhoneDialog(deps));
    this.addDialog(new WaterfallDialog(ROUTE, [this.route.bind(this), this.finish.bind(this)]));
    this.initialDialogId = ROUTE;
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const profile = this.deps.profile(step.context);
    if (!this.deps.service.isComplete(profile)) return step.beginDialog(WIZARD_DIALOG);
    await this.showSummary(step);
    return step.endDialog();
  }

  private async finish(step: WaterfallStepContext<WizardResult>): Promise<DialogTurnResult> {
    const result = step.result as WizardResult | undefined;
    if (result && 'done' in result) {
      await step.context.sendActivity('You are all set. Your security info is up to date: you can close this chat.');
    }
    return step.endDialog();
  }

  private async showSummary(step: WaterfallStepContext): Promise<void> {
    const profile = this.deps.profile(step.context);
    await this.deps.present(
      step.context,
      this.deps.cards.render('securityInfoSummary', {
        orgName: this.deps.orgName,
        defaultMethod: signInLabel(this.deps.service.defaultMethod(profile)),
        methods: methodRows(profile),
      }),
    );
  }
}
