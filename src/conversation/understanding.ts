import { ActionTypes, InputHints, MessageFactory, type TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { type Language, t } from '../kit/texts';
import type { CardAction } from '../presentation/cards';
import { supportsCards } from '../presentation/channelPresenter';
import { kindInSentence } from '../presentation/labels';
import { chooseLanguage, languageOf, languageSettled } from '../state/personState';
import type { MethodKind, SecurityInfoProfile, SecurityMethod } from '../verification/profile';
import { looksLikeCodeOrPass } from './codeOrPass';
import { methodKindsNamedIn } from './entities';
import { type Interruptions, SHOW_AGAIN } from './interruptions';
import type { Intent, IntentClassifier } from './nlu';
import { type Reading, read } from './reading';
import { namedLanguage, suggestedIntent, suggestionTitle } from './words';

/**
 * What people type in their own words, when it is neither a word that works
 * from anywhere (words.ts) nor anything the screen in front of them takes:
 * the intent recognised (nlu.ts, reading.ts) acts, or the likeliest two are
 * offered as buttons. Replies are in the person's language (docs/i18n.md),
 * which what they write may set (a text plainly in one language, or a
 * language named: "español", "English").
 */

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
    const typed = typedText(dc.context);
    const named = typed ? namedLanguage(typed) : undefined;
    if (named) {
      await this.switchLanguage(dc, named);
      return false;
    }
    if (typed) await this.settleLanguage(dc.context, typed);
    if (await this.deps.interruptions.handle(dc)) return true;
    const text = typed;
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

  /**
   * The person's language from now on, said in it; what was running shows its
   * screen again in it (SHOW_AGAIN), and with nothing running the dialogs begin.
   */
  private async switchLanguage(dc: DialogContext, language: Language): Promise<void> {
    chooseLanguage(dc.context, language, 'asked');
    const said = t(language, 'language.changed');
    this.deps.note(dc.context, 'bot', said);
    await dc.context.sendActivity(said);
    dc.context.turnState.set(SHOW_AGAIN, true);
  }

  /**
   * A person whose language was never said nor written (a new person, or one
   * whose language came from Teams' locale): the first text plainly in one
   * language decides it. A code or a pass is never read.
   */
  private async settleLanguage(context: TurnContext, text: string): Promise<void> {
    if (languageSettled(context) || looksLikeCodeOrPass(text)) return;
    let language: Language | undefined;
    try {
      language = (await this.deps.classifier()).plainLanguageOf(text);
    } catch {
      return;
    }
    if (language) chooseLanguage(context, language, 'text');
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
    const language = languageOf(context);
    const title = (of: Intent) => suggestionTitle(of, language);
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
        return { again: true, say: t(language, 'understanding.hello') };
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
        await this.say(context, t(language, 'advice.lostPhone'), [title('securityInfo.show'), title('helpDesk')]);
        return answered;
      case 'lostApp':
        return this.lostApp(dc, screen);
      case 'codeNotWorking': {
        const resend = screen?.actions.find((a) => a.action === 'resend');
        await this.say(context, t(language, 'advice.code'), [...(resend ? [resend.title] : []), title('helpDesk')]);
        return answered;
      }
      case 'accessPass':
        await this.deps.interruptions.begin(dc, this.deps.accessPassDialog);
        return answered;
      case 'changeLanguage': {
        // "Change language" written in the language spoken: the other one; in the other language: that one.
        const written = typedLanguage(context);
        const other = language === 'en' ? 'es' : 'en';
        await this.switchLanguage(dc, written && written !== language ? written : other);
        return screen ? { again: true, say: '' } : undefined;
      }
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
    const language = languageOf(dc.context);
    const say =
      kinds.length > 0 && methods.length === 0
        ? t(language, 'understanding.noneRegistered', { methods: describeKinds(kinds, language) })
        : t(language, action === 'change' ? 'understanding.whichToChange' : 'understanding.whichToDelete');
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
    return this.showManage(dc, screen, t(languageOf(dc.context), 'understanding.whichPhone'));
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
      await this.say(dc.context, t(languageOf(dc.context), 'understanding.noAppToRecover'));
      return { answered: true };
    }
    await this.say(dc.context, t(languageOf(dc.context), 'advice.lostApp'));
    await this.deps.interruptions.escalate(dc.context);
    return { answered: true };
  }

  /**
   * "Did you mean…?": the likeliest meanings as buttons (their titles quoted
   * in the text too, for channels without buttons), then the screen's own
   * options; with no likely meaning, help and the help desk.
   */
  private async offer(context: TurnContext, likeliest: readonly Intent[], screen?: ScreenOffer): Promise<void> {
    const language = languageOf(context);
    const titles = likeliest.map((intent) => suggestionTitle(intent, language));
    const options = screen && screen.options.length > 0 ? screen.options.map((title, i) => `${i + 1}. ${title}`).join('\n') : undefined;
    const quoted = titles.map((title) => t(language, 'understanding.quoted', { title }));
    const lines =
      titles.length > 0
        ? [
            t(language, quoted.length > 1 ? 'understanding.didYouMeanEither' : 'understanding.didYouMean', {
              first: quoted[0] ?? '',
              second: quoted[1] ?? '',
            }),
            ...(options ? [t(language, 'understanding.orChoose', { options })] : []),
          ]
        : [
            options ? t(language, 'notices.notUnderstood', { options }) : t(language, 'understanding.sorry'),
            t(language, 'understanding.sayHelp'),
          ];
    await this.say(
      context,
      lines.join('\n'),
      titles.length > 0 ? titles : [suggestionTitle('help', language), suggestionTitle('helpDesk', language)],
    );
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

function describeKinds(kinds: readonly MethodKind[], language: Language): string {
  if (kinds.length > 1 && kinds.every(isPhoneKind)) return kindInSentence('phone', language);
  return kinds.map((kind) => kindInSentence(kind, language)).join(t(language, 'understanding.or'));
}
