import type { TurnContext } from 'botbuilder';
import { ComponentDialog, type DialogContext, type DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';

const HELP = /^(help|\?|what can you do\??)$/i;
const CANCEL = /^(cancel|quit|exit|never ?mind)$/i;
const START_OVER = /^(start over|restart|reset)$/i;
/** What people say to reach a person. */
export const HELP_DESK = /^(help ?desk|(talk|speak) to (a|an) (person|human|agent)|(a |an )?(human|agent|person)|i need help)$/i;

export const HELP_TEXT = [
  'I help you set up your security info: the ways you prove who you are when you sign in or reset your password.',
  'You can say:',
  '- "security info" to see your methods, add, change or delete one, or change your default',
  '- "start" to set up or review your security info',
  '- "start over" to begin the current setup again',
  '- "cancel" to stop what we are doing (anything you finished is kept)',
  '- "help desk" to reach a person at the help desk',
  '- "temporary access pass" if the help desk gave you one',
  '- "help" to see this message',
].join('\n');

/**
 * What a person may say at any point, whatever dialog is running: help, cancel
 * and start over. Every root dialog of the bot inherits it.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  /** Words that jump to a dialog from anywhere (e.g. "security info" → manage mode). */
  protected commands: ReadonlyArray<{ readonly pattern: RegExp; readonly dialogId: (context: TurnContext) => string }> = [];

  /** Opens a help-desk ticket; what was running keeps waiting. */
  protected abstract escalate(context: TurnContext): Promise<void>;

  /** Whether a text is one of the words that work from anywhere. */
  isCommand(text: string): boolean {
    const trimmed = text.trim();
    return [HELP, CANCEL, START_OVER, HELP_DESK, ...this.commands.map((c) => c.pattern)].some((p) => p.test(trimmed));
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const text = (innerDc.context.activity.text ?? '').trim();
    if (innerDc.context.activity.value || !text) return undefined;
    if (HELP.test(text)) {
      await innerDc.context.sendActivity(HELP_TEXT);
      // Help changes nothing: what was running keeps waiting; with nothing running, this turn is done.
      return { status: innerDc.activeDialog ? DialogTurnStatus.waiting : DialogTurnStatus.complete };
    }
    if (HELP_DESK.test(text)) {
      await this.escalate(innerDc.context);
      return { status: innerDc.activeDialog ? DialogTurnStatus.waiting : DialogTurnStatus.complete };
    }
    if (CANCEL.test(text)) {
      const wasActive = innerDc.activeDialog !== undefined;
      await innerDc.cancelAllDialogs();
      await innerDc.context.sendActivity(
        wasActive
          ? 'OK, I stopped. Anything you finished is kept. Say "start" when you want to continue.'
          : 'There is nothing to cancel. Say "help" to see what I can do.',
      );
      return { status: DialogTurnStatus.cancelled };
    }
    const command = this.commands.find((c) => c.pattern.test(text));
    if (command) {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(command.dialogId(innerDc.context));
    }
    if (START_OVER.test(text)) {
      await innerDc.cancelAllDialogs();
      await innerDc.context.sendActivity('OK, starting over.');
      return innerDc.beginDialog(this.initialDialogId);
    }
    return undefined;
  }
}
