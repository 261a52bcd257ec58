import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';

import { CANCEL, HELP, HELP_DESK, START_OVER } from './words';

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
  'You can also write what you need in your own words, like "I lost my phone" or "delete my old phone".',
].join('\n');

/** A word that jumps to a dialog from anywhere (e.g. "security info" → manage mode). */
export interface Command {
  readonly pattern: RegExp;
  readonly dialogId: (context: TurnContext) => string;
}

/**
 * What a person may say at any point, whatever dialog is running: help,
 * cancel, start over, the help desk, and the commands. Looked at before the
 * dialog stack sees a typed message. What each does is here too, for what
 * people mean in their own words (understanding.ts).
 */
export class Interruptions {
  constructor(
    private readonly commands: readonly Command[],
    /** The dialog "start over" begins. */
    private readonly startId: string,
    /** Opens a help-desk ticket; what was running keeps waiting. */
    readonly escalate: (context: TurnContext) => Promise<void>,
  ) {}

  /** Whether a text is one of the words that work from anywhere. */
  isCommand(text: string): boolean {
    const trimmed = text.trim();
    return [HELP, CANCEL, START_OVER, HELP_DESK, ...this.commands.map((c) => c.pattern)].some((p) => p.test(trimmed));
  }

  /** Handles the turn's message if it is one of those words; false when the dialogs should have it. */
  async handle(dc: DialogContext): Promise<boolean> {
    const text = (dc.context.activity.text ?? '').trim();
    if (dc.context.activity.value || !text) return false;
    if (HELP.test(text)) {
      await this.help(dc);
      return true;
    }
    if (HELP_DESK.test(text)) {
      await this.escalate(dc.context);
      return true;
    }
    if (CANCEL.test(text)) {
      await this.cancel(dc);
      return true;
    }
    const command = this.commands.find((c) => c.pattern.test(text));
    if (command) {
      await this.begin(dc, command.dialogId(dc.context));
      return true;
    }
    if (START_OVER.test(text)) {
      await this.startOver(dc);
      return true;
    }
    return false;
  }

  /** Says what the bot can do; what was running keeps waiting. */
  async help(dc: DialogContext): Promise<void> {
    await dc.context.sendActivity(HELP_TEXT);
  }

  /** Stops what is running; anything finished is kept. */
  async cancel(dc: DialogContext): Promise<void> {
    const wasActive = dc.activeDialog !== undefined;
    await dc.cancelAllDialogs();
    await dc.context.sendActivity(
      wasActive
        ? 'OK, I stopped. Anything you finished is kept. Say "start" when you want to continue.'
        : 'There is nothing to cancel. Say "help" to see what I can do.',
    );
  }

  /** Begins the current setup again. */
  async startOver(dc: DialogContext): Promise<void> {
    await dc.cancelAllDialogs();
    await dc.context.sendActivity('OK, starting over.');
    await dc.beginDialog(this.startId);
  }

  /** Leaves whatever is running for another dialog, as a command does. */
  async begin(dc: DialogContext, dialogId: string, options?: object): Promise<void> {
    await dc.cancelAllDialogs();
    await dc.beginDialog(dialogId, options);
  }
}
