import type { DialogContext } from 'botbuilder-dialogs';
import { type Language, t } from '../kit/texts';
import type { RedeemResult } from '../verification/accessPasses';
import { CardFlowDialog, type FlowTurn, type Reply, type Screen, type Transition } from './cardFlowDialog';
import { type DialogDeps, ROUTE_DIALOG } from './deps';

export const ACCESS_PASS_DIALOG = 'accessPass';

/**
 * A person proves who they are with the Temporary Access Pass a help-desk
 * agent gave them: it lifts a lockout, then their security info is set up
 * (again). The pass is never echoed or kept in the dialog state.
 */
export class AccessPassDialog extends CardFlowDialog<object> {
  protected readonly firstScreen = 'enterPass';

  protected readonly screens: Record<string, Screen<object>> = {
    enterPass: {
      show: () => ({ card: 'enterPass', data: { orgName: this.deps.orgName }, textAction: 'redeem' }),
      on: { redeem: (turn, reply) => this.redeem(turn, reply) },
    },
  };

  constructor(deps: DialogDeps) {
    super(ACCESS_PASS_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext): object {
    return {};
  }

  protected override onChildResult(_turn: FlowTurn<object>, result: unknown): Transition {
    return { end: result };
  }

  private async redeem(turn: FlowTurn<object>, reply: Reply): Promise<Transition> {
    const typed = reply.values.pass ?? '';
    if (!typed.trim()) return { say: turn.t('pass.typeIt') };
    const result = await this.deps.service.redeemAccessPass(this.deps.profile(turn.context), typed, this.deps.via(turn.context));
    if (result.status === 'verified') {
      await turn.context.sendActivity(turn.t('pass.accepted'));
      return { begin: ROUTE_DIALOG };
    }
    const refusal = passRefusal(result, turn.language);
    return refusal.retry ? { say: refusal.say } : { end: { stopped: true }, say: refusal.say };
  }
}

/** What a refused pass means to the person, and whether typing it again can help. */
export function passRefusal(
  result: Exclude<RedeemResult, { status: 'verified' }>,
  language: Language,
): { readonly say: string; readonly retry: boolean } {
  switch (result.status) {
    case 'wrong':
      return result.attemptsLeft > 0
        ? { say: t(language, 'pass.wrong', { count: result.attemptsLeft }), retry: true }
        : { say: t(language, 'pass.exhausted'), retry: false };
    case 'notHere':
      return { say: t(language, 'pass.notHere'), retry: false };
    case 'expired':
    case 'none':
      return { say: t(language, 'pass.none'), retry: false };
  }
}
