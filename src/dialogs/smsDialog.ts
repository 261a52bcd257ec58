import type { DialogContext } from 'botbuilder-dialogs';
import { verbatim } from '../presentation/cards';
import { defaultSignIn, methodRows } from '../presentation/labels';
import type { FlowTurn, Screen, Transition } from './cardFlowDialog';
import { CodeChallengeDialog, type CodeData } from './codeChallengeDialog';
import type { DialogDeps } from './deps';

export const SMS_DIALOG = 'sms';

interface SmsData extends CodeData {
  /** The number texting: the conversation itself. */
  number: string;
}

/**
 * What a person can do by text alone: register the phone they text from
 * (proving another method first when they have one), reach the help desk
 * about a lost authenticator app, see their security info. An app is never
 * set up by text: its key must not travel by SMS.
 */
export class SmsDialog extends CodeChallengeDialog<SmsData> {
  protected readonly firstScreen = 'menu';
  protected readonly texts = 'challenge.phone';

  protected readonly screens: Record<string, Screen<SmsData>> = {
    menu: {
      show: (turn) => {
        const profile = this.deps.profile(turn.context);
        return {
          card: 'smsMenu',
          data: {
            orgName: this.deps.orgName,
            canRegister: this.phoneKindToAdd(turn) !== undefined,
            hasApp: profile.methods.some((m) => m.kind === 'authenticatorApp'),
          },
        };
      },
      on: {
        registerPhone: (turn) => this.registerPhone(turn),
        lostApp: (turn) => this.lostApp(turn),
        setUpApp: (turn) => ({ say: turn.t('app.needsAScreen') }),
        myInfo: (turn) => ({ say: this.summary(turn) }),
        done: (turn) => ({ end: { closed: true }, say: turn.t('sms.done') }),
      },
    },
    ...this.codeScreens,
    // The code screen in one text message: the code is the reply.
    enterCode: {
      ...this.codeScreens.enterCode,
      show: (turn) => ({ card: 'smsCode', data: { masked: verbatim(turn.data.masked) }, textAction: 'verify', textInput: 'code' }),
    },
  };

  constructor(deps: DialogDeps) {
    super(SMS_DIALOG, deps);
  }

  protected initialData(dc: DialogContext): SmsData {
    return { progress: [], number: dc.context.activity.from.id };
  }

  /** A proven code: the new phone is registered, back to the menu. */
  protected override onVerified(turn: FlowTurn<SmsData>): Transition {
    return this.toMenu(turn.t('sms.phoneRegistered', { masked: turn.data.masked ?? '' }));
  }

  /** The kind this number would be added as: the phone, else the alternate phone; none when it is registered already. */
  private phoneKindToAdd(turn: FlowTurn<SmsData>): 'phone' | 'alternatePhone' | undefined {
    const profile = this.deps.profile(turn.context);
    if (profile.methods.some((m) => 'e164' in m && m.e164 === turn.data.number)) return undefined;
    const addable = this.deps.service.addableMethods(profile);
    return addable.includes('phone') ? 'phone' : addable.includes('alternatePhone') ? 'alternatePhone' : undefined;
  }

  private async registerPhone(turn: FlowTurn<SmsData>): Promise<Transition> {
    const kind = this.phoneKindToAdd(turn);
    if (!kind) return { say: turn.t('sms.cannotRegister') };
    const result = await this.deps.service.startPhone(this.deps.profile(turn.context), {
      number: turn.data.number,
      country: this.deps.service.policy.phone.defaultCountry,
      channel: 'sms',
      kind,
    });
    return this.afterSend(turn, result, 'enterCode');
  }

  /**
   * A lost authenticator app is never removed on the strength of texts (a
   * code to a phone plus security questions is weaker than the app): the help
   * desk checks who it is, then gives a Temporary Access Pass for Teams or
   * asks for registration anew (docs/design.md §5, recovery).
   */
  private async lostApp(turn: FlowTurn<SmsData>): Promise<Transition> {
    if (!this.deps.profile(turn.context).methods.some((m) => m.kind === 'authenticatorApp')) {
      return { say: turn.t('sms.noApp') };
    }
    await turn.context.sendActivity(turn.t('advice.lostApp'));
    await this.deps.escalate(turn.context, 'asked');
    return { wait: true };
  }

  /** Back to the menu, with what happened said just before it (so at its top). */
  private toMenu(say?: string): Transition {
    return { go: 'menu', instead: true, ...(say ? { say } : {}) };
  }

  private summary(turn: FlowTurn<SmsData>): string {
    const profile = this.deps.profile(turn.context);
    if (profile.methods.length === 0) return turn.t('sms.noInfo');
    const rows = methodRows(profile, turn.language).map((r) => `${r.label}: ${r.detail}`);
    return [...rows, turn.t('sms.defaultSignIn', { method: defaultSignIn(this.deps.service, profile, turn.language) })].join('\n');
  }
}
