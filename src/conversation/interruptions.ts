import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';

import { t } from '../kit/texts';
import { languageOf } from '../state/personState';
import { CANCEL, HELP, HELP_DESK, START_OVER } from './words';

/**
 * Set on a turn whose words were for the bot and not the screen (the person
 * changed their language): the running card dialog shows its screen again,
 * as it is, in the person's language now.
 */
export const SHOW_AGAIN = Symbol('showAgain');

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
    await dc.context.sendActivity(t(languageOf(dc.context), 'help.text'));
  }

  /** Stops what is running; anything finished is kept. */
  async cancel(dc: DialogContext): Promise<void> {
    const wasActive = dc.activeDialog !== undefined;
    await dc.cancelAllDialogs();
    await dc.context.sendActivity(t(languageOf(dc.context), wasActive ? 'help.stopped' : 'help.nothingToCancel'));
  }

  /** Begins the current setup again. */
  async startOver(dc: DialogContext): Promise<void> {
    await dc.cancelAllDialogs();
    await dc.context.sendActivity(t(languageOf(dc.context), 'help.startingOver'));
    await dc.beginDialog(this.startId);
  }

  /** Leaves whatever is running for another dialog, as a command does. */
  async begin(dc: DialogContext, dialogId: string, options?: object): Promise<void> {
    await dc.cancelAllDialogs();
    await dc.beginDialog(dialogId, options);
  }
}
