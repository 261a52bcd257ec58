import type { DialogContext } from 'botbuilder-dialogs';
import { verbatim } from '../presentation/cards';
import { kindLabel, methodDetail } from '../presentation/labels';
import type { SecurityMethod } from '../verification/profile';
import { passRefusal } from './accessPassDialog';
import { lockedMessage } from './authenticatorAppDialog';
import type { FlowTurn, Reply, Screen, Transition } from './cardFlowDialog';
import { CodeChallengeDialog, type CodeData } from './codeChallengeDialog';
import { type DialogDeps, STEP_UP_DIALOG, type StepUpResult } from './deps';

interface StepUpData extends CodeData {
  /** The registered app whose code is asked for. */
  appId?: string;
}

const PASS = 'pass';

/**
 * "First, prove it's you": before any change to security info, a person who
 * has methods proves one of them (a code from a registered app, a code texted
 * to a registered phone, or, for someone with no sign-in method, emailed),
 * or uses a Temporary Access Pass from the help desk. The verification
 * service decides when this is needed and what counts (docs/design.md §5).
 */
export class StepUpDialog extends CodeChallengeDialog<StepUpData> {
  protected readonly firstScreen = 'choose';
  protected readonly title = "Prove it's you";
  protected readonly codeSource = 'the message we sent';

  protected readonly screens: Record<string, Screen<StepUpData>> = {
    choose: {
      show: (turn) => ({
        card: 'proveItsYou',
        data: { orgName: this.deps.orgName, choices: this.choices(turn) },
        textAction: 'choose',
      }),
      on: { choose: (turn, reply) => this.choose(turn, reply.values.proof ?? '') },
    },
    appCode: {
      show: (turn) => ({
        card: 'enterCode',
        data: { ...this.header(turn), title: this.title, masked: verbatim(this.app(turn)?.appName ?? 'your authenticator app') },
        textAction: 'verify',
      }),
      on: { verify: (turn, reply) => this.verifyAppCode(turn, reply) },
    },
    enterCode: { ...this.codeScreens.enterCode, on: { ...this.codeScreens.enterCode.on, differentMethod: () => ({ back: true }) } },
    [PASS]: {
      show: () => ({ card: 'enterPass', data: { orgName: this.deps.orgName }, textAction: 'redeem' }),
      on: { redeem: (turn, reply) => this.redeemPass(turn, reply) },
    },
  };

  constructor(deps: DialogDeps) {
    super(STEP_UP_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext): StepUpData {
    return { progress: [] };
  }

  protected override backResult(): StepUpResult {
    return { proven: false };
  }

  protected override onVerified(): Transition {
    return this.proven();
  }

  /** The person's proofs as choices: each registered app, each phone by text, (emails), and a pass. */
  private choices(turn: FlowTurn<StepUpData>): Array<{ title: string; value: string }> {
    const proofs = this.deps.service.stepUpProofs(this.deps.profile(turn.context));
    return [
      ...proofs.map((m) => ({ title: proofLabel(m), value: `${m.kind === 'authenticatorApp' ? 'app' : 'send'}:${m.id}` })),
      { title: 'A Temporary Access Pass from the help desk', value: PASS },
    ];
  }

  private async choose(turn: FlowTurn<StepUpData>, value: string): Promise<Transition> {
    if (value === PASS) return { go: PASS };
    const [how, id = ''] = value.split(':');
    const profile = this.deps.profile(turn.context);
    const method = this.deps.service.stepUpProofs(profile).find((m) => m.id === id);
    if (!method) return { say: "Choose one of the ways in the list to prove it's you." };
    if (how === 'app') {
      turn.data.appId = method.id;
      return { go: 'appCode' };
    }
    return this.afterSend(turn, await this.deps.service.startStepUpProof(profile, method.id, 'sms'), 'enterCode');
  }

  private app(turn: FlowTurn<StepUpData>) {
    return this.deps.profile(turn.context).methods.find((m) => m.id === turn.data.appId && m.kind === 'authenticatorApp') as
      | Extract<SecurityMethod, { kind: 'authenticatorApp' }>
      | undefined;
  }

  private async verifyAppCode(turn: FlowTurn<StepUpData>, reply: Reply): Promise<Transition> {
    const code = reply.values.code ?? '';
    if (code.trim() === '') return { say: 'Enter the 6-digit code your authenticator app shows now, then choose Next.' };
    const profile = this.deps.profile(turn.context);
    const result = await this.deps.service.verifyTotp(profile, turn.data.appId ?? '', code, this.deps.via(turn.context));
    switch (result.status) {
      case 'verified':
        return this.proven();
      case 'malformed':
        return { say: 'A code has 6 digits, like 123456. Enter the code your app shows now.' };
      case 'wrong':
        return {
          say: `That code didn't work. Check that it is the code for your ${this.deps.orgName} account, and that your phone's clock is right (${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left).`,
        };
      case 'replayed':
        return { say: 'That code was already used. Wait for the next code in your app.' };
      case 'locked':
        return { end: { proven: false } satisfies StepUpResult, say: lockedMessage(result.until, this.deps.clock.now()) };
      default:
        return { back: true, say: "That app can't be used right now. Choose another way." };
    }
  }

  private async redeemPass(turn: FlowTurn<StepUpData>, reply: Reply): Promise<Transition> {
    const typed = reply.values.pass ?? '';
    if (!typed.trim()) return { say: 'Type the pass the help desk gave you.' };
    const result = await this.deps.service.redeemAccessPass(this.deps.profile(turn.context), typed, this.deps.via(turn.context));
    if (result.status === 'verified') return this.proven();
    const refusal = passRefusal(result);
    return refusal.retry ? { say: refusal.say } : { back: true, say: refusal.say };
  }

  private proven(): Transition {
    return {
      end: { proven: true } satisfies StepUpResult,
      say: "Thanks, that's you. You can change your security info for the next few minutes.",
    };
  }
}

function proofLabel(method: SecurityMethod): string {
  if (method.kind === 'authenticatorApp') return `A code from ${method.appName}`;
  if (method.kind === 'email') return `An email to ${methodDetail(method)}`;
  return `A text to your ${kindLabel(method.kind).toLowerCase()} ${methodDetail(method)}`;
}
