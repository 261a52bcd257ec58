import type { DialogContext } from 'botbuilder-dialogs';
import { type Language, t } from '../kit/texts';
import { verbatim } from '../presentation/cards';
import { kindInSentence, methodDetail } from '../presentation/labels';
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
  protected readonly texts = 'challenge.stepUp';

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
        data: {
          ...this.header(turn),
          title: this.word(turn, 'title'),
          masked: verbatim(this.app(turn)?.appName ?? turn.t('stepUp.yourApp')),
        },
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

  protected override onVerified(turn: FlowTurn<StepUpData>): Transition {
    return this.proven(turn);
  }

  /** The person's proofs as choices: each registered app, each phone by text, (emails), and a pass. */
  private choices(turn: FlowTurn<StepUpData>): Array<{ title: string; value: string }> {
    const proofs = this.deps.service.stepUpProofs(this.deps.profile(turn.context));
    return [
      ...proofs.map((m) => ({ title: proofLabel(m, turn.language), value: `${m.kind === 'authenticatorApp' ? 'app' : 'send'}:${m.id}` })),
      { title: turn.t('stepUp.pass'), value: PASS },
    ];
  }

  private async choose(turn: FlowTurn<StepUpData>, value: string): Promise<Transition> {
    if (value === PASS) return { go: PASS };
    const [how, id = ''] = value.split(':');
    const profile = this.deps.profile(turn.context);
    const method = this.deps.service.stepUpProofs(profile).find((m) => m.id === id);
    if (!method) return { say: turn.t('stepUp.chooseFromList') };
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
    if (code.trim() === '') return { say: turn.t('stepUp.enterCode') };
    const profile = this.deps.profile(turn.context);
    const result = await this.deps.service.verifyTotp(profile, turn.data.appId ?? '', code, this.deps.via(turn.context));
    switch (result.status) {
      case 'verified':
        return this.proven(turn);
      case 'malformed':
        return { say: turn.t('stepUp.malformed') };
      case 'wrong':
        return { say: turn.t('stepUp.wrong', { orgName: this.deps.orgName, count: result.attemptsLeft }) };
      case 'replayed':
        return { say: turn.t('app.replayed') };
      case 'locked':
        return { end: { proven: false } satisfies StepUpResult, say: lockedMessage(turn.language, result.until, this.deps.clock.now()) };
      default:
        return { back: true, say: turn.t('stepUp.appUnavailable') };
    }
  }

  private async redeemPass(turn: FlowTurn<StepUpData>, reply: Reply): Promise<Transition> {
    const typed = reply.values.pass ?? '';
    if (!typed.trim()) return { say: turn.t('pass.typeIt') };
    const result = await this.deps.service.redeemAccessPass(this.deps.profile(turn.context), typed, this.deps.via(turn.context));
    if (result.status === 'verified') return this.proven(turn);
    const refusal = passRefusal(result, turn.language);
    return refusal.retry ? { say: refusal.say } : { back: true, say: refusal.say };
  }

  private proven(turn: FlowTurn<StepUpData>): Transition {
    return { end: { proven: true } satisfies StepUpResult, say: turn.t('stepUp.proven') };
  }
}

function proofLabel(method: SecurityMethod, language: Language): string {
  if (method.kind === 'authenticatorApp') return t(language, 'stepUp.proof.app', { app: method.appName });
  if (method.kind === 'email') return t(language, 'stepUp.proof.email', { address: methodDetail(method, language) });
  return t(language, 'stepUp.proof.text', { method: kindInSentence(method.kind, language), number: methodDetail(method, language) });
}
