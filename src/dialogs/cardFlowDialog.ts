import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, DialogReason, type DialogTurnResult } from 'botbuilder-dialogs';
import { valueForInput } from '../conversation/entities';
import { SHOW_AGAIN } from '../conversation/interruptions';
import type { FirstReply, Understanding } from '../conversation/understanding';
import { type Language, type TextValues, t } from '../kit/texts';
import type { CardAction, CardChoice, CardName, RenderedCard } from '../presentation/cards';
import { languageOf } from '../state/personState';
import { type DialogDeps, REPEATED_DELIVERY } from './deps';

/** What a person sent back: the action they chose and the values they typed. */
export interface Reply {
  readonly action: string;
  readonly values: Readonly<Record<string, string>>;
}

/** A screen as shown: which card, from which view model. */
export interface View {
  readonly card: CardName;
  readonly data: object;
  /** The action a plain typed reply stands for (its text fills the card's input). */
  readonly textAction?: string;
  /** Which input a typed reply fills (default: the card's first input). */
  readonly textInput?: string;
  /**
   * The card that replaces this one in the chat once the person moves on (e.g.
   * to remove a QR code); `revokes`: the handle of a QR image link the card
   * shows, which stops working then too.
   */
  readonly retireWith?: { readonly card: CardName; readonly data: object; readonly revokes?: string };
}

/** What a step decides. */
export type Transition =
  /** Show another screen; Back returns here (or, with `instead`, to where this screen's Back went). */
  | { readonly go: string; readonly say?: string; readonly instead?: true }
  /** Show this screen again with a fresh card. */
  | { readonly again: true; readonly say?: string }
  /** Return to the previous screen (or end with `backResult()` from the first). */
  | { readonly back: true; readonly say?: string }
  /** Say something and keep waiting on the card already shown. */
  | { readonly say: string }
  /** Nothing to do: keep waiting. */
  | { readonly wait: true }
  /** Run another dialog; its result comes back to `onChildResult`. */
  | { readonly begin: string; readonly options?: object }
  | { readonly end: unknown; readonly say?: string };

export interface Screen<D> {
  show(turn: FlowTurn<D>): Promise<View> | View;
  readonly on: Readonly<Record<string, (turn: FlowTurn<D>, reply: Reply) => Promise<Transition> | Transition>>;
  /**
   * The bot woke this conversation (e.g. a call webhook arrived): look again.
   * A wake carries no data to trust; the screen reads what changed from the profile.
   */
  onWake?(turn: FlowTurn<D>): Promise<Transition> | Transition;
}

interface FlowState<D> {
  screen: string;
  history: string[];
  nonce: string;
  actions: CardAction[];
  inputs: string[];
  choices?: CardChoice[];
  textAction?: string;
  textInput?: string;
  retire?: { activityId?: string; card: CardName; data: object; revokes?: string };
  data: D;
}

/** The turn as a step sees it. */
export class FlowTurn<D> {
  constructor(
    readonly dc: DialogContext,
    private readonly state: FlowState<D>,
  ) {}

  get context(): TurnContext {
    return this.dc.context;
  }

  get data(): D {
    return this.state.data;
  }

  get screen(): string {
    return this.state.screen;
  }

  /** The person's language (docs/i18n.md). */
  get language(): Language {
    return languageOf(this.dc.context);
  }

  /** A text from the catalogs in the person's language. */
  t(key: string, values?: TextValues): string {
    return t(this.language, key, values);
  }

  /** Changes what will replace the current card when the person moves on. */
  retireWith(data: object): void {
    if (this.state.retire) this.state.retire.data = data;
  }
}

const MAX_VALUE_LENGTH = 500;

/** The "I need help" action every card with buttons carries (`cards/parts/needHelp.json`). */
export const HELP_DESK_ACTION = 'helpDesk';

/**
 * A dialog made of card screens, the way the browser wizard is made of pages.
 * It gives every screen what the wizard gives every page: Back, a fresh card
 * when an old one is clicked, typed replies as well as clicks (so the same
 * dialog runs on text-only channels), and removal of cards that held secrets.
 */
export abstract class CardFlowDialog<D extends object, O extends object = object> extends Dialog<O> {
  protected abstract readonly screens: Readonly<Record<string, Screen<D>>>;
  protected abstract readonly firstScreen: string;
  /** Reads a typed text that none of a screen's buttons, choices or inputs took, for what it means; MainDialogs sets it. */
  understanding?: Pick<Understanding, 'onScreen'>;

  constructor(
    id: string,
    protected readonly deps: DialogDeps,
  ) {
    super(id);
    if (!deps) throw new Error(`${id} needs its dependencies`);
  }

  /** The dialog's own data at its start. */
  protected abstract initialData(dc: DialogContext, options: O | undefined): Promise<D> | D;

  /** A child dialog ended; decide what comes next. */
  protected onChildResult(_turn: FlowTurn<D>, _result: unknown): Promise<Transition> | Transition {
    return { again: true };
  }

  /** Back from the first screen: the dialog ends with this result. */
  protected backResult(): unknown {
    return { back: true };
  }

  /** The dialog is being left (ended or cancelled): undo whatever is half done. */
  protected onLeave(_context: TurnContext, _data: D): Promise<void> | void {}

  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    const state: FlowState<D> = {
      screen: this.firstScreen,
      history: [],
      nonce: '',
      actions: [],
      inputs: [],
      data: await this.initialData(dc, options),
    };
    dc.activeDialog!.state = state;
    // Begun to act at once ("delete my old phone" → manage mode's Delete): the first screen's button, as if clicked.
    const first = (options as FirstReply | undefined)?.firstReply;
    const act =
      first && Object.hasOwn(this.screens[state.screen]!.on, first.action) ? this.screens[state.screen]!.on[first.action] : undefined;
    if (first && act) {
      const next = await act(new FlowTurn(dc, state), { action: first.action, values: { ...first.values } });
      // What only says something waits on a screen: the first one.
      return this.apply(dc, state, 'say' in next || 'wait' in next ? { again: true, say: 'say' in next ? next.say : undefined } : next);
    }
    await this.show(dc, state);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.stateOf(dc);
    if (dc.context.activity.type === ActivityTypes.Event) {
      const onWake = this.screens[state.screen]?.onWake;
      return this.apply(dc, state, onWake ? await onWake(new FlowTurn(dc, state)) : { wait: true });
    }
    if (dc.context.turnState.get(REPEATED_DELIVERY) || dc.context.turnState.get(SHOW_AGAIN)) return this.apply(dc, state, { again: true });
    const reply = this.readReply(dc.context.activity, state);
    if (reply === 'stale') {
      return this.apply(dc, state, { again: true, say: t(languageOf(dc.context), 'notices.staleCard') });
    }
    // Only the action is noted, never what was typed with it.
    if (reply) this.deps.note(dc.context, 'person', `[${/^[A-Za-z]{1,40}$/.test(reply.action) ? reply.action : 'unknown action'}]`);
    if (reply?.action === HELP_DESK_ACTION) {
      await this.deps.escalate(dc.context, 'asked');
      return Dialog.EndOfTurn;
    }
    const screen = this.screens[state.screen]!;
    // Only the screen's own actions: a made-up name ("toString", "__proto__") is not one.
    const handler = reply && Object.hasOwn(screen.on, reply.action) ? screen.on[reply.action] : undefined;
    if (!reply || !handler) {
      if (reply?.action === 'back') return this.back(dc, state);
      const typed = dc.context.activity.value ? '' : (dc.context.activity.text ?? '').trim().slice(0, MAX_VALUE_LENGTH);
      if (!reply && typed && this.understanding) return this.understand(dc, state, typed);
      return this.apply(dc, state, { say: this.choicesPrompt(dc, state) });
    }
    return this.apply(dc, state, await handler(new FlowTurn(dc, state), reply));
  }

  /** A typed text the screen did not take: what it means acts, or is asked about (conversation/understanding.ts). */
  private async understand(dc: DialogContext, state: FlowState<D>, text: string): Promise<DialogTurnResult> {
    const choices = state.choices ?? [];
    const understood = await this.understanding!.onScreen(dc, text, {
      actions: state.actions,
      options: [...choices.map((c) => c.title), ...state.actions.map((a) => a.title)],
    });
    if ('answered' in understood) return Dialog.EndOfTurn;
    if ('again' in understood) return this.apply(dc, state, understood);
    const { action, values } = understood.reply;
    const screen = this.screens[state.screen]!;
    const handler = Object.hasOwn(screen.on, action) ? screen.on[action] : undefined;
    if (!handler) return this.apply(dc, state, { say: this.choicesPrompt(dc, state) });
    this.deps.note(dc.context, 'person', `[${action}]`);
    return this.apply(dc, state, await handler(new FlowTurn(dc, state), { action, values }));
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    const state = this.stateOf(dc);
    return this.apply(dc, state, await this.onChildResult(new FlowTurn(dc, state), result));
  }

  override async endDialog(context: TurnContext, instance: { state: object }, reason: DialogReason): Promise<void> {
    if (reason === DialogReason.cancelCalled || reason === DialogReason.replaceCalled) {
      const state = instance.state as FlowState<D>;
      await this.retire(context, state);
      await this.onLeave(context, state.data);
    }
  }

  /** Goes to the previous screen, or ends the dialog from the first one. */
  protected async back(dc: DialogContext, state: FlowState<D>): Promise<DialogTurnResult> {
    const previous = state.history.pop();
    if (previous === undefined) return this.apply(dc, state, { end: this.backResult() });
    await this.retire(dc.context, state);
    state.screen = previous;
    await this.show(dc, state);
    return Dialog.EndOfTurn;
  }

  private async apply(dc: DialogContext, state: FlowState<D>, next: Transition): Promise<DialogTurnResult> {
    if ('say' in next && next.say) {
      this.deps.note(dc.context, 'bot', next.say);
      await dc.context.sendActivity(next.say);
    }
    if ('back' in next) return this.back(dc, state);
    if ('go' in next) {
      await this.retire(dc.context, state);
      if (!next.instead) state.history.push(state.screen);
      state.screen = next.go;
      await this.show(dc, state);
    } else if ('again' in next) {
      await this.retire(dc.context, state);
      await this.show(dc, state);
    } else if ('begin' in next) {
      await this.retire(dc.context, state);
      return dc.beginDialog(next.begin, next.options);
    } else if ('end' in next) {
      await this.retire(dc.context, state);
      await this.onLeave(dc.context, state.data);
      return dc.endDialog(next.end);
    }
    return Dialog.EndOfTurn;
  }

  private async show(dc: DialogContext, state: FlowState<D>): Promise<void> {
    const view = await this.screens[state.screen]!.show(new FlowTurn(dc, state));
    state.nonce = this.deps.random.id();
    const rendered: RenderedCard = this.deps.cards.render(view.card, view.data, state.nonce, languageOf(dc.context));
    this.deps.note(dc.context, 'bot', `[${view.card}]`);
    state.actions = [...rendered.actions];
    state.inputs = [...rendered.inputs];
    state.choices = [...rendered.choices];
    state.textAction = view.textAction;
    state.textInput = view.textInput ?? rendered.inputs[0];
    const activityId = await this.deps.present(dc.context, rendered);
    state.retire = view.retireWith ? { activityId, ...view.retireWith } : undefined;
  }

  /** Replaces a card that must not stay in the chat (a QR code) with its retirement card. */
  private async retire(context: TurnContext, state: FlowState<D>): Promise<void> {
    const retire = state.retire;
    if (!retire) return;
    state.retire = undefined;
    if (retire.revokes) await this.deps.revokeQrImage(retire.revokes);
    if (retire.activityId)
      await this.deps.replace(context, retire.activityId, this.deps.cards.render(retire.card, retire.data, undefined, languageOf(context)));
  }

  /**
   * Reads a click or a typed reply. A click carries the nonce of its card: a
   * different one means an old card. Typed text matches an action by number or
   * title, or else fills the card's input when the screen takes typed input.
   */
  private readReply(activity: Partial<Activity>, state: FlowState<D>): Reply | 'stale' | undefined {
    const value = activity.value;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { card, action, ...rest } = value as Record<string, unknown>;
      if (card !== state.nonce || typeof action !== 'string') return 'stale';
      // Inputs and the card's own data (e.g. which method a button is for); handlers check what they read.
      const values: Record<string, string> = {};
      for (const [key, v] of Object.entries(rest).slice(0, 50)) {
        if (typeof v === 'string') values[key] = v.slice(0, MAX_VALUE_LENGTH);
      }
      return { action, values };
    }
    const text = (activity.text ?? '').trim().slice(0, MAX_VALUE_LENGTH);
    if (!text) return undefined;
    const lower = text.toLowerCase();
    // In text, the options of a choice input come first (1..n), then the buttons (n+1..).
    const choices = state.choices ?? [];
    const number = /^\d{1,2}$/.test(text) ? Number(text) : undefined;
    const choice =
      (number !== undefined ? choices[number - 1] : undefined) ??
      choices.find((c) => c.title.toLowerCase() === lower || c.value.toLowerCase() === lower);
    if (choice && state.textAction) return { action: state.textAction, values: { [choice.input]: choice.value } };
    const byNumber = number !== undefined ? state.actions[number - 1 - choices.length] : undefined;
    const match = byNumber ?? state.actions.find((a) => a.title.toLowerCase() === lower || a.action.toLowerCase() === lower);
    if (match) return { action: match.action, values: { ...match.data } };
    if (state.textAction && state.textInput) {
      // A number or a code typed in a sentence ("my new number is (201) 555-0123") is taken out of it; a sentence without one is no value.
      const typed = valueForInput(state.textInput, text, this.deps.service.policy.phone);
      if (typed !== undefined) return { action: state.textAction, values: { [state.textInput]: typed } };
    }
    return undefined;
  }

  private choicesPrompt(dc: DialogContext, state: FlowState<D>): string {
    const language = languageOf(dc.context);
    const choices = state.choices ?? [];
    if (state.actions.length === 0 && choices.length === 0) return t(language, 'notices.useTheCard');
    const options = [...choices.map((c) => c.title), ...state.actions.map((a) => a.title)]
      .map((title, i) => `${i + 1}. ${title}`)
      .join('\n');
    return t(language, 'notices.notUnderstood', { options });
  }

  private stateOf(dc: DialogContext): FlowState<D> {
    return dc.activeDialog!.state as FlowState<D>;
  }
}
