import { type Activity, ActivityTypes, CardFactory, InputHints, type TurnContext } from 'botbuilder';

/**
 * Within one turn, plain texts sent just before a screen are shown at the top
 * of it instead of as messages of their own: "Your code was accepted" and the
 * next screen arrive as one message, the way the browser wizard shows a page's
 * status above it (and one request to the channel instead of two). A screen is
 * a card, or on channels without cards its text, sent as expecting input.
 * Texts that no screen follows go out as they are when the turn ends.
 *
 * `close` ends the turn's holding: it sends what is held, and from then on
 * every activity passes straight through (the turn error handler's apology,
 * say); `discard` forgets what is held (a run of the turn that will not
 * count) and `reopen` holds again for the next run.
 */
export function holdNotices(context: TurnContext): { close(): Promise<void>; discard(): void; reopen(): void } {
  let held: Partial<Activity>[] = [];
  let open = true;
  let releasing = false;
  const release = async () => {
    if (held.length === 0) return;
    const rest = held;
    held = [];
    releasing = true;
    try {
      await context.sendActivities(rest);
    } finally {
      releasing = false;
    }
  };
  context.turnState.set(RELEASE, release);
  context.onSendActivities(async (_context, activities, next) => {
    if (!open || releasing) return next();
    const out: Partial<Activity>[] = [];
    for (const activity of activities) {
      const screen = isPlainText(activity) ? activity.inputHint === InputHints.ExpectingInput : !!cardOf(activity);
      if (isPlainText(activity) && !screen) {
        held.push(activity);
      } else if (screen && held.length > 0) {
        out.push(
          withNotices(
            activity,
            held.map((a) => a.text!),
          ),
        );
        held = [];
      } else {
        out.push(...held, activity);
        held = [];
      }
    }
    // Everything held: nothing goes out yet (adapters refuse an empty send).
    if (out.length === 0) return [];
    // Activities can only be replaced in place: what goes out now, in order.
    activities.splice(0, activities.length, ...out);
    return next();
  });
  return {
    async close() {
      open = false;
      await release();
    },
    discard() {
      held = [];
    },
    /** Holds again (the turn runs again). */
    reopen() {
      open = true;
    },
  };
}

const RELEASE = Symbol('releaseNotices');

/**
 * Sends the texts held so far now, on their own: before a send whose failure
 * is tolerated (the help desk's handoff event), so that they do not share it.
 */
export async function sendHeldNotices(context: TurnContext): Promise<void> {
  await (context.turnState.get(RELEASE) as (() => Promise<void>) | undefined)?.();
}

function isPlainText(activity: Partial<Activity>): boolean {
  return activity.type === ActivityTypes.Message && typeof activity.text === 'string' && !activity.attachments?.length && !activity.value;
}

function cardOf(activity: Partial<Activity>): Record<string, unknown> | undefined {
  const [attachment] = activity.attachments ?? [];
  if (activity.type !== ActivityTypes.Message || activity.attachments?.length !== 1) return undefined;
  return attachment?.contentType === CardFactory.contentTypes.adaptiveCard ? (attachment.content as Record<string, unknown>) : undefined;
}

/** The id of the container of notices at the top of a card. */
export const NOTICES_ID = 'notices';

/** A screen with texts at its top: in a box on a card, as its first lines in text. */
function withNotices(activity: Partial<Activity>, texts: string[]): Partial<Activity> {
  const card = cardOf(activity);
  if (!card) return { ...activity, text: [...texts, activity.text].join('\n') };
  const notices = {
    type: 'Container',
    id: NOTICES_ID,
    // Set apart from the screen it comes with.
    style: 'emphasis',
    items: texts.map((text) => ({ type: 'TextBlock', text, wrap: true, weight: 'Bolder' })),
  };
  const body = [notices, ...((card.body as unknown[]) ?? [])];
  return { ...activity, attachments: [CardFactory.adaptiveCard({ ...card, body })] };
}
