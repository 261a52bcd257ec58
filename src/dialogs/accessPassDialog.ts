import type { DialogContext } from 'botbuilder-dialogs';
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
    if (!typed.trim()) return { say: 'Type the pass the help desk gave you.' };
    const result = await this.deps.service.redeemAccessPass(this.deps.profile(turn.context), typed, this.deps.via(turn.context));
    if (result.status === 'verified') {
      await turn.context.sendActivity("Thanks, your pass is accepted: verification is open again. Let's set up your security info.");
      return { begin: ROUTE_DIALOG };
    }
    const refusal = passRefusal(result);
    return refusal.retry ? { say: refusal.say } : { end: { stopped: true }, say: refusal.say };
  }
}

/** What a refused pass means to the person, and whether typing it again can help. */
export function passRefusal(result: Exclude<RedeemResult, { status: 'verified' }>): { readonly say: string; readonly retry: boolean } {
  switch (result.status) {
    case 'wrong':
      return result.attemptsLeft > 0
        ? {
            say: `That pass didn't work. Check it and try again (${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left).`,
            retry: true,
          }
        : { say: 'Too many wrong passes: that pass no longer works. Ask the help desk for a new one.', retry: false };
    case 'notHere':
      return {
        say: 'A Temporary Access Pass works in Microsoft Teams only: open a chat with me there and say "temporary access pass".',
        retry: false,
      };
    case 'expired':
    case 'none':
      return { say: 'You have no valid Temporary Access Pass. Ask the help desk for one (say "help desk").', retry: false };
  }
}
