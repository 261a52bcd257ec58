import type { TurnContext } from 'botbuilder';
import { DialogContextError } from 'botbuilder-dialogs';
import { AppError, BusyError, PreconditionFailedError } from '../kit/errors';
import type { Logger } from '../kit/log';
import { hasText, t } from '../kit/texts';
import { languageOf } from '../state/personState';
import type { Random } from '../verification/ports';

/**
 * The one place a failed turn becomes a message: the person gets an apology
 * and a reference to quote; the log gets the detail. State is not cleared:
 * the turn's changes are simply not saved, so the conversation resumes from
 * the last good step.
 */
export function turnErrorHandler(log: Logger, random: Random) {
  return async (context: TurnContext, thrown: Error): Promise<void> => {
    const error = unwrapped(thrown);
    // The turn's document may be read already: the person's language, else the default.
    const language = languageOf(context);
    if (error instanceof PreconditionFailedError) {
      log.info({ channelId: context.activity.channelId }, 'a concurrent turn for the same person won; this one was dropped');
      await context.sendActivity(t(language, 'errors.stillWorking')).catch(() => {});
      return;
    }
    const reference = random.id().slice(0, 8);
    if (error instanceof AppError && error.expose) {
      // An outage the person can act on (e.g. the store is busy): its own words, nothing half-written.
      log.warn({ err: error, reference, code: error.code }, 'turn refused');
      // Whatever is busy (the store, the line of turns), the person reads the same words.
      const key = error instanceof BusyError ? 'errors.busy' : `errors.${error.code}`;
      const words = hasText(key) ? t(language, key) : error.message;
      await context.sendActivity(t(language, 'errors.withReference', { words, reference })).catch(() => {});
      return;
    }
    // The error itself, and which dialog it came from: never the dialog stack botbuilder wraps it with, whose state
    // holds what the person typed (a phone number, an address).
    const dialog = thrown instanceof DialogContextError ? thrown.dialogContext.activeDialog : undefined;
    log.error({ err: error, dialog, reference, channelId: context.activity.channelId, activityType: context.activity.type }, 'turn failed');
    await context
      .sendActivity(t(language, 'errors.failed', { reference }))
      .catch((sendError) => log.error({ err: sendError, reference }, 'could not send the apology'));
  };
}

/**
 * The error as thrown where it happened: botbuilder-dialogs wraps whatever a
 * dialog throws in a DialogContextError (the original in `error`), which
 * would hide a busy store's own words behind the generic apology.
 */
function unwrapped(error: Error): Error {
  let inner = error;
  for (let depth = 0; depth < 5 && !(inner instanceof AppError); depth++) {
    const wrapped =
      inner instanceof DialogContextError
        ? inner.error
        : inner.name === 'DialogContextError'
          ? (inner as { error?: unknown }).error
          : undefined;
    if (!(wrapped instanceof Error)) break;
    inner = wrapped;
  }
  return inner;
}
