import { ActionTypes, InputHints, MessageFactory, type TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import type { CardAction } from '../presentation/cards';
import { supportsCards } from '../presentation/channelPresenter';
import { kindLabel } from '../presentation/labels';
import type { MethodKind, SecurityInfoProfile, SecurityMethod } from '../verification/profile';
import { methodKindsNamedIn } from './entities';
import type { Interruptions } from './interruptions';
import type { Intent, IntentClassifier, Language } from './nlu';
import { type Reading, read } from './reading';
import { SUGGESTION_TITLES, suggestedIntent } from './words';

/**
 * What people type in their own words, when it is neither a word that works
 * from anywhere (words.ts) nor anything the screen in front of them takes:
 * the intent recognised (nlu.ts, reading.ts) acts, or the likeliest two are
 * offered as buttons. Replies are in English for now; the language of the
 * text is kept for the turn (typedLanguage).
 */

/** The suggestion title of every intent (a button does what its intent does). */
const TITLES: Readonly<Record<Intent, string>> = SUGGESTION_TITLES;

export const LOST_PHONE_ADVICE =
  "If you lost or replaced your phone: as long as you can still prove it's you another way (your authenticator app, another phone, or your email), open your security info to change or delete that phone. If you can't, the help desk can check it's you and help you back in.";

export const LOST_APP_ADVICE =
  'A lost authenticator app is replaced with the help desk: they check it is you, then give you a Temporary Access Pass to use in Teams, or ask you to set up your methods again.';

export const CODE_ADVICE =
  "If a code from your authenticator app is refused, check that your phone's date, time and time zone are set automatically (a clock a few minutes off makes every code wrong), then type the code it shows now. A code sent by text or email works for a few minutes only: ask for a fresh one if yours is older.";

export const ENGLISH_ONLY = 'For now I can only answer in English. More languages are coming.';

/** The screen a typed text was not for: its buttons, and what it offers in text, numbered. */
export interface ScreenOffer {
  readonly actions: readonly CardAction[];
  /** The titles a person can type the number of: the choices of the card's choice input, then its buttons. */
  readonly options: readonly string[];
}

/** What the card flow does with a typed text it did not take. */
export type Understood =
  /** One of the screen's own buttons stands for what was meant: as if it had been clicked. */
  | { readonly reply: { readonly action: string; readonly values: Readonly<Record<string, string>> } }
  /** Say this, and show the screen again. */
  | { readonly again: true; readonly say: string }
  /** Answered: the bot said something, opened a ticket, or began another dialog. */
  | { readonly answered: true };

export interface UnderstandingDeps {
  /** The words that work from anywhere, and what they do. */
  readonly interruptions: Interruptions;
  /** The classifier (trained once per process: nlu.ts sharedClassifier). */
  readonly classifier: () => Promise<IntentClassifier>;
  /** Manage mode's dialog on the turn's channel (the SMS menu by text). */
  readonly manageDialog: (context: TurnContext) => string;
  /** The dialog that takes a Temporary Access Pass. */
  readonly accessPassDialog: string;
  readonly profile: (context: TurnContext) => SecurityInfoProfile;
  /** Notes a step for the help desk's view of the conversation (never what was typed). */
  readonly note: (context: TurnContext, from: 'person' | 'bot', text: string) => void;
}

/** Options a card dialog begins with to act at once on its first screen, as if this button had been clicked there. */
export interface FirstReply {
  readonly firstReply?: { readonly action: string; readonly values?: Readonly<Record<string, string>> };
}

const LANGUAGE = Symbol('typedLanguage');

/** The language of what the person typed this turn, when the classifier read it. */
export function typedLanguage(context: TurnContext): Language | undefined {
  return context.turnState.get(LANGUAGE) as Language | undefined;
}

/** Where an intent is acted on: on a screen (a card dialog's), or with nothing running. */
type Place = { readonly screen: ScreenOffer } | { readonly idle: true };

export class Understanding {
  constructor(private readonly deps: UnderstandingDeps) {}

  /** Whether a text is one of the words that work from anywhere (as Interruptions). */
  isCommand(text: string): boolean {
    return this.deps.interruptions.isCommand(text);
  }

  /**
   * Before the dialog stack: the words that work from anywhere; then, with
   * nothing running, what a typed text means (an intent it is sure of acts;
   * else the likeliest are offered). False when the dialogs should have the
   * turn (nothing understood: what a person begins with begins).
   */
  async handle(dc: DialogContext): Promise<boolean> {
    if (await this.deps.interruptions.handle(dc)) return true;
    const text = typedText(dc.context);
    if (dc.activeDialog || !text) return false;
    const suggested = suggestedIntent(text);
    if (suggested) return (await this.act(dc, suggested, text, { idle: true })) !== undefined;
    const reading = await this.read(dc.context, text);
    if (reading.kind === 'intent') return (await this.act(dc, reading.intent, text, { idle: true })) !== undefined;
    if (reading.kind === 'unsure' && reading.likeliest.length > 0) {
      await this.offer(dc.context, reading.likeliest);
      return true;
    }
    return false;
  }

  /**
   * A typed text the screen did not take (not its buttons, choices or
   * inputs): what it means acts, or the likeliest two meanings are offered
   * with the screen's own options; never "I didn't get that" alone.
   */
  async onScreen(dc: DialogContext, text: string, screen: ScreenOffer): Promise<Understood> {
    const suggested = suggestedIntent(text);
    if (suggested) return (await this.act(dc, suggested, text, { screen })) ?? { answered: true };
    const reading = await this.read(dc.context, text);
    if (reading.kind === 'intent') return (await this.act(dc, reading.intent, text, { screen })) ?? { answered: true };
    await this.offer(dc.context, reading.kind === 'unsure' ? reading.likeliest : [], screen);
    return { answered: true };
  }

  /** Reads a text; a classifier that failed to train reads nothing (the person is offered the help and the help desk). */
  private async read(context: TurnContext, text: string): Promise<Reading> {
    let reading: Reading;
    try {
      reading = await read(await this.deps.classifier(), text);
    } catch {
      return { kind: 'unsure', likeliest: [], language: 'en' };
    }
    if (reading.kind !== 'secret') context.turnState.set(LANGUAGE, reading.language);
    return reading;
  }

  /** Does what an intent means, here; undefined when nothing running is better left to begin (a greeting). */
  private async act(dc: DialogContext, intent: Intent, text: string, place: Place): Promise<Understood | undefined> {
    const { context } = dc;
    const screen = 'screen' in place ? place.screen : undefined;
    if (intent === 'greeting' && !screen) return undefined;
    this.deps.note(context, 'person', `[understood: ${intent}]`);
    const answered = { answered: true } as const;
    switch (intent) {
      case 'help':
        await this.deps.interruptions.help(dc);
        return answered;
      case 'cancel':
        await this.deps.interruptions.cancel(dc);
        return answered;
      case 'startOver':
        await this.deps.interruptions.startOver(dc);
        return answered;
      case 'helpDesk':
        await this.deps.interruptions.escalate(context);
        return answered;
      case 'greeting':
        return { again: true, say: 'Hello! Here is where you are:' };
      case 'securityInfo.show':
        await this.deps.interruptions.begin(dc, this.deps.manageDialog(context));
        return answered;
      case 'securityInfo.add':
        return this.manage(dc, screen, 'add');
      case 'securityInfo.default':
        return this.manage(dc, screen, 'changeDefault');
      case 'securityInfo.change':
      case 'securityInfo.delete':
        return this.onMethod(dc, screen, intent === 'securityInfo.change' ? 'change' : 'delete', methodKindsNamedIn(text));
      case 'newNumber':
        return this.newNumber(dc, screen, text);
      case 'lostPhone':
        await this.say(context, LOST_PHONE_ADVICE, [TITLES['securityInfo.show'], TITLES.helpDesk]);
        return answered;
      case 'lostApp':
        return this.lostApp(dc, screen);
      case 'codeNotWorking': {
        const resend = screen?.actions.find((a) => a.action === 'resend');
        await this.say(context, CODE_ADVICE, [...(resend ? [resend.title] : []), TITLES.helpDesk]);
        return answered;
      }
      case 'accessPass':
        await this.deps.interruptions.begin(dc, this.deps.accessPassDialog);
        return answered;
      case 'changeLanguage':
        await this.say(context, ENGLISH_ONLY);
        return answered;
    }
  }

  /**
   * An action of manage mode: the screen's own button when it has it (manage
   * mode's overview), else manage mode begun and acting at once (its first
   * screen's button). Manage mode asks for a step-up proof first, as for a click.
   */
  private async manage(
    dc: DialogContext,
    screen: ScreenOffer | undefined,
    action: string,
    values: Readonly<Record<string, string>> = {},
  ): Promise<Understood> {
    const own = screen?.actions.find((a) => a.action === action && Object.entries(values).every(([k, v]) => a.data?.[k] === v));
    if (own) return { reply: { action: own.action, values: { ...own.data } } };
    await this.deps.interruptions.begin(dc, this.deps.manageDialog(dc.context), {
      firstReply: { action, values },
    } satisfies FirstReply);
    return { answered: true };
  }

  /** Change or delete the method named ("delete my old phone"); when it is not clear which, manage mode asks. */
  private async onMethod(
    dc: DialogContext,
    screen: ScreenOffer | undefined,
    action: 'change' | 'delete',
    kinds: readonly MethodKind[],
  ): Promise<Understood> {
    const methods = this.deps.profile(dc.context).methods.filter((m) => kinds.includes(m.kind));
    const [only] = methods;
    if (methods.length === 1 && only) return this.manage(dc, screen, action, { methodId: only.id });
    const verb = action === 'change' ? 'Change' : 'Delete';
    const say =
      kinds.length > 0 && methods.length === 0
        ? `You have no ${describeKinds(kinds)} registered. Here is your security info:`
        : `Which one? Choose "${verb}" next to it:`;
    return this.showManage(dc, screen, say);
  }

  /** A new number: the phone (the one named, else the main one) is changed; with no phone, one is added. */
  private async newNumber(dc: DialogContext, screen: ScreenOffer | undefined, text: string): Promise<Understood> {
    const named = methodKindsNamedIn(text).filter(isPhoneKind);
    const phones = this.deps.profile(dc.context).methods.filter((m) => isPhoneKind(m.kind));
    const specific = named.length === 1 ? named : undefined;
    const candidates = phones.filter((m) => (specific ? specific.includes(m.kind) : true));
    const phone: SecurityMethod | undefined =
      candidates.length === 1 ? candidates[0] : specific ? undefined : candidates.find((m) => m.kind === 'phone');
    if (phone) return this.manage(dc, screen, 'change', { methodId: phone.id });
    if (phones.length === 0) return this.manage(dc, screen, 'add');
    return this.showManage(dc, screen, 'Which phone? Choose "Change" next to it:');
  }

  /** Manage mode's overview with a word at its top (the overview again when it is the screen). */
  private async showManage(dc: DialogContext, screen: ScreenOffer | undefined, say: string): Promise<Understood> {
    if (screen?.actions.some((a) => a.action === 'delete' || a.action === 'change')) return { again: true, say };
    this.deps.note(dc.context, 'bot', say);
    await dc.context.sendActivity(say);
    await this.deps.interruptions.begin(dc, this.deps.manageDialog(dc.context));
    return { answered: true };
  }

  /** A lost authenticator app goes to the help desk (the SMS menu has a button of its own for it). */
  private async lostApp(dc: DialogContext, screen: ScreenOffer | undefined): Promise<Understood> {
    const own = screen?.actions.find((a) => a.action === 'lostApp');
    if (own) return { reply: { action: own.action, values: { ...own.data } } };
    if (!this.deps.profile(dc.context).methods.some((m) => m.kind === 'authenticatorApp')) {
      await this.say(dc.context, 'You have no authenticator app registered, so there is nothing to recover: you can set one up again.');
      return { answered: true };
    }
    await this.say(dc.context, LOST_APP_ADVICE);
    await this.deps.interruptions.escalate(dc.context);
    return { answered: true };
  }

  /**
   * "Did you mean…?": the likeliest meanings as buttons (their titles quoted
   * in the text too, for channels without buttons), then the screen's own
   * options; with no likely meaning, help and the help desk.
   */
  private async offer(context: TurnContext, likeliest: readonly Intent[], screen?: ScreenOffer): Promise<void> {
    const titles = likeliest.map((intent) => TITLES[intent]);
    const options = screen && screen.options.length > 0 ? screen.options.map((title, i) => `${i + 1}. ${title}`).join('\n') : undefined;
    const lines =
      titles.length > 0
        ? [
            `Did you mean ${titles.map((t) => `"${t}"`).join(' or ')}?`,
            ...(options ? [`Or choose one of these (click it or type its number):\n${options}`] : []),
          ]
        : [
            options
              ? `Sorry, I didn't get that. Choose one of these (click it or type its number):\n${options}`
              : "Sorry, I didn't get that.",
            'Say "help" to see what I can do, or "help desk" to reach a person.',
          ];
    await this.say(context, lines.join('\n'), titles.length > 0 ? titles : [TITLES.help, TITLES.helpDesk]);
  }

  /** Says something, with buttons that send their titles (where the channel shows buttons). */
  private async say(context: TurnContext, text: string, buttons: readonly string[] = []): Promise<void> {
    this.deps.note(context, 'bot', text);
    if (buttons.length === 0 || !supportsCards(context.activity.channelId)) {
      await context.sendActivity(text);
      return;
    }
    const message = MessageFactory.suggestedActions(
      buttons.map((title) => ({ type: ActionTypes.ImBack, title, value: title })),
      text,
    );
    // A reply waiting for an answer: shown as it is, never folded into the next card's notices.
    message.inputHint = InputHints.ExpectingInput;
    await context.sendActivity(message);
  }
}

function typedText(context: TurnContext): string {
  return context.activity.value ? '' : (context.activity.text ?? '').trim();
}

function isPhoneKind(kind: MethodKind): boolean {
  return kind === 'phone' || kind === 'alternatePhone' || kind === 'officePhone';
}

function describeKinds(kinds: readonly MethodKind[]): string {
  if (kinds.length > 1 && kinds.every(isPhoneKind)) return 'phone';
  return kinds.map((kind) => kindLabel(kind).toLowerCase()).join(' or ');
}
