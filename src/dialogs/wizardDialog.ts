import type { DialogContext } from 'botbuilder-dialogs';
import { verbatim } from '../presentation/cards';
import { defaultSignIn, kindLabel, LEARN_MORE_URL, methodRows, progressSteps } from '../presentation/labels';
import type { MethodKind } from '../verification/profile';
import { CardFlowDialog, type FlowTurn, type Screen, type Transition } from './cardFlowDialog';
import { type DialogDeps, isStepUpResult, STEP_UP_DIALOG } from './deps';
import { METHOD_DIALOGS } from './methodDialogs';
import { isMethodResult, type MethodDialogOptions } from './methodResult';

export const WIZARD_DIALOG = 'wizard';

/** How the wizard ends. */
export type WizardResult = { readonly done: true } | { readonly stopped: true };

interface WizardData {
  /** The method to set up once the person has proved it's them (step-up). */
  afterStepUp?: MethodKind;
}

const SCREEN = { moreInfo: 'moreInfo', chooseMethod: 'chooseMethod', success: 'success' } as const;

/**
 * Interrupt mode: "More information required", then each method the policy
 * requires and the person lacks, then "Success!". "I want to set up a
 * different method" is open from every step.
 */
export class WizardDialog extends CardFlowDialog<WizardData> {
  protected readonly firstScreen = SCREEN.moreInfo;

  protected readonly screens: Record<string, Screen<WizardData>> = {
    [SCREEN.moreInfo]: {
      show: (turn) => ({
        card: 'moreInfoRequired',
        data: { orgName: this.deps.orgName, upn: verbatim(this.deps.profile(turn.context).upn), learnMoreUrl: LEARN_MORE_URL },
      }),
      on: {
        next: (turn) => this.nextMethod(turn),
        // A campaign's "Set it up now" (docs/campaigns.md): straight to its method, if the role lets the person add it.
        setUp: (turn, reply) => {
          const kind = this.deps.service.addableMethods(this.deps.profile(turn.context)).find((k) => k === reply.values.method);
          return kind ? this.beginMethod(turn, kind) : this.nextMethod(turn);
        },
      },
    },
    [SCREEN.chooseMethod]: {
      show: (turn) => ({
        card: 'chooseMethod',
        data: {
          ...this.header(turn),
          heading: turn.t('wizard.chooseHeading'),
          choices: this.choices(turn).map((kind) => ({ title: kindLabel(kind, turn.language), value: kind })),
        },
        textAction: 'choose',
      }),
      on: {
        choose: (turn, reply) => {
          const kind = this.choices(turn).find((k) => k === reply.values.method);
          if (!kind) return { say: turn.t('dialogs.chooseFromList') };
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
            defaultMethod: defaultSignIn(this.deps.service, profile, turn.language),
            methods: methodRows(profile, turn.language),
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

  protected initialData(_dc: DialogContext): WizardData {
    return {};
  }

  protected override onChildResult(turn: FlowTurn<WizardData>, result: unknown): Transition {
    const after = turn.data.afterStepUp;
    turn.data.afterStepUp = undefined;
    if (isStepUpResult(result)) return result.proven && after ? this.beginMethod(turn, after) : { again: true };
    if (!isMethodResult(result)) return { again: true };
    if ('registered' in result) return this.nextMethod(turn);
    if ('differentMethod' in result) return turn.screen === SCREEN.chooseMethod ? { again: true } : { go: SCREEN.chooseMethod };
    if ('locked' in result) return { end: { stopped: true } satisfies WizardResult };
    return { again: true };
  }

  private header(turn: FlowTurn<WizardData>, current?: MethodKind) {
    return { orgName: this.deps.orgName, steps: progressSteps(this.deps.service, this.deps.profile(turn.context), turn.language, current) };
  }

  /**
   * The next required method; then, while password reset still needs
   * methods, a choice of those it accepts; then Success.
   */
  private nextMethod(turn: FlowTurn<WizardData>): Transition {
    const profile = this.deps.profile(turn.context);
    const [next] = this.deps.service.missingMethods(profile);
    if (next) return this.beginMethod(turn, next);
    const { sspr } = this.deps.service.policyStatus(profile);
    if (!sspr.met && this.choices(turn).length > 0) {
      const more = sspr.need - sspr.have;
      return {
        go: SCREEN.chooseMethod,
        say: turn.t('wizard.needMore', { count: more }),
      };
    }
    return { go: SCREEN.success };
  }

  /** What "a different method" offers: what the role enables and the person can still add; only password-reset methods once sign-in is covered. */
  private choices(turn: FlowTurn<WizardData>): MethodKind[] {
    return this.deps.service.methodsToOffer(this.deps.profile(turn.context));
  }

  /** A person who has methods proves one first (the service's step-up), then sets up the next. */
  private beginMethod(turn: FlowTurn<WizardData>, kind: MethodKind): Transition {
    if (this.deps.service.stepUpRequired(this.deps.profile(turn.context))) {
      turn.data.afterStepUp = kind;
      return { begin: STEP_UP_DIALOG };
    }
    const options: MethodDialogOptions = { progress: this.header(turn, kind).steps };
    return { begin: METHOD_DIALOGS[kind], options };
  }
}
