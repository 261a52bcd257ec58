import type { DialogContext } from 'botbuilder-dialogs';
import type { MethodKind } from '../verification/profile';
import { AUTHENTICATOR_APP_DIALOG, type MethodDialogOptions } from './authenticatorAppDialog';
import { CardFlowDialog, type FlowTurn, type Screen, type Transition } from './cardFlowDialog';
import type { DialogDeps } from './deps';
import { kindLabel, LEARN_MORE_URL, methodRows, progressSteps, signInLabel } from './labels';
import { isMethodResult } from './methodResult';
import { PHONE_DIALOG } from './phoneDialog';

export const WIZARD_DIALOG = 'wizard';

/** The dialog that adds each kind of method. */
export const METHOD_DIALOGS: Readonly<Record<MethodKind, string>> = {
  authenticatorApp: AUTHENTICATOR_APP_DIALOG,
  phone: PHONE_DIALOG,
};

/** How the wizard ends. */
export type WizardResult = { readonly done: true } | { readonly stopped: true };

const SCREEN = { moreInfo: 'moreInfo', chooseMethod: 'chooseMethod', success: 'success' } as const;

/**
 * Interrupt mode: "More information required", then each method the policy
 * requires and the person lacks, then "Success!". "I want to set up a
 * different method" is open from every step.
 */
export class WizardDialog extends CardFlowDialog<Record<string, never>> {
  protected readonly firstScreen = SCREEN.moreInfo;

  protected readonly screens: Record<string, Screen<Record<string, never>>> = {
    [SCREEN.moreInfo]: {
      show: (turn) => ({
        card: 'moreInfoRequired',
        data: { orgName: this.deps.orgName, upn: this.deps.profile(turn.context).upn, learnMoreUrl: LEARN_MORE_URL },
      }),
      on: { next: (turn) => this.nextMethod(turn) },
    },
    [SCREEN.chooseMethod]: {
      show: (turn) => ({
        card: 'chooseMethod',
        data: {
          ...this.header(turn),
          choices: this.deps.service.policy.enabledMethods.map((kind) => ({ title: kindLabel(kind), value: kind })),
        },
        textAction: 'choose',
      }),
      on: {
        choose: (turn, reply) => {
          const kind = this.deps.service.policy.enabledMethods.find((k) => k === reply.values.method);
          if (!kind) return { say: 'Choose one of the methods in the list.' };
          return this.beginMethod(turn, kind);
        },
      },
    },
    [SCREEN.success]: {
      show: (turn) => {
        const profile = this.deps.profile(turn.context);
        return {
          card: 'success',
          data: {
            ...this.header(turn),
            defaultMethod: signInLabel(this.deps.service.defaultMethod(profile)),
            methods: methodRows(profile),
          },
        };
      },
      on: {
        done: () => ({ end: { done: true } satisfies WizardResult }),
        differentMethod: () => ({ go: SCREEN.chooseMethod }),
      },
    },
  };

  constructor(deps: DialogDeps) {
    super(WIZARD_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext): Record<string, never> {
    return {};
  }

  protected override onChildResult(turn: FlowTurn<Record<string, never>>, result: unknown): Transition {
    if (!isMethodResult(result)) return { again: true };
    if ('registered' in result) return this.nextMethod(turn);
    if ('differentMethod' in result) return turn.screen === SCREEN.chooseMethod ? { again: true } : { go: SCREEN.chooseMethod };
    if ('locked' in result) return { end: { stopped: true } satisfies WizardResult };
    return { again: true };
  }

  private header(turn: FlowTurn<Record<string, never>>, current?: MethodKind) {
    return { orgName: this.deps.orgName, steps: progressSteps(this.deps.service, this.deps.profile(turn.context), current) };
  }

  /** The next required method, or Success when none is left. */
  private nextMethod(turn: FlowTurn<Record<string, never>>): Transition {
    const [next] = this.deps.service.missingMethods(this.deps.profile(turn.context));
    return next ? this.beginMethod(turn, next) : { go: SCREEN.success };
  }

  private beginMethod(turn: FlowTurn<Record<string, never>>, kind: MethodKind): Transition {
    const options: MethodDialogOptions = { progress: this.header(turn, kind).steps };
    return { begin: METHOD_DIALOGS[kind], options };
  }
}
