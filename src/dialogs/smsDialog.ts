import type { DialogContext } from 'botbuilder-dialogs';
import { verbatim } from '../presentation/cards';
import { APP_NEEDS_A_SCREEN, defaultSignIn, methodRows } from '../presentation/labels';
import { lockedMessage } from './authenticatorAppDialog';
import type { FlowTurn, Screen, Transition } from './cardFlowDialog';
import { CodeChallengeDialog, type CodeData } from './codeChallengeDialog';
import type { DialogDeps } from './deps';

export const SMS_DIALOG = 'sms';

interface SmsData extends CodeData {
  /** The number texting: the conversation itself. */
  number: string;
  /** The code out there proves the phone for a recovery, not a new method. */
  recovering: boolean;
}

/**
 * What a person can do by text alone: register the phone they text from,
 * recover from a lost authenticator app (a code to this phone, then security
 * questions, then the app removed), see their security info. An app is never
 * set up by text: its key must not travel by SMS.
 */
export class SmsDialog extends CodeChallengeDialog<SmsData> {
  protected readonly firstScreen = 'menu';
  protected readonly title = 'Phone';
  protected readonly codeSource = 'the text message';

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
        setUpApp: () => ({ say: APP_NEEDS_A_SCREEN }),
        myInfo: (turn) => ({ say: this.summary(turn) }),
        done: () => ({ end: { closed: true }, say: 'OK. Text MENU any time to come back.' }),
      },
    },
    ...this.codeScreens,
    // The code screen in one text message: the code is the reply.
    enterCode: {
      ...this.codeScreens.enterCode,
      show: (turn) => ({ card: 'smsCode', data: { masked: verbatim(turn.data.masked) }, textAction: 'verify', textInput: 'code' }),
    },
    question: {
      show: (turn) => {
        const asked = this.deps.service.recoveryQuestion(this.deps.profile(turn.context), turn.data.number);
        const question = asked.status === 'ask' ? asked : undefined;
        return {
          card: 'smsQuestion',
          data: { number: question?.number ?? 1, of: question?.of ?? 1, question: question?.question.text ?? '' },
          textAction: 'answer',
          textInput: 'answer',
        };
      },
      on: {
        answer: (turn, reply) => this.answer(turn, reply.values.answer ?? ''),
        menu: () => this.toMenu(),
      },
    },
    confirmRemoval: {
      show: (turn) => {
        const apps = this.deps.profile(turn.context).methods.flatMap((m) => (m.kind === 'authenticatorApp' ? [m.appName] : []));
        return {
          card: 'smsConfirm',
          data: {
            message: `Thanks, that's you. Remove ${apps.join(' and ')}? Codes from the lost phone will stop working.`,
            confirm: 'Remove it',
          },
        };
      },
      on: {
        confirm: (turn) => this.removeLostApps(turn),
        menu: () => this.toMenu(),
      },
    },
  };

  constructor(deps: DialogDeps) {
    super(SMS_DIALOG, deps);
  }

  protected initialData(dc: DialogContext): SmsData {
    return { progress: [], number: dc.context.activity.from.id, recovering: false };
  }

  /** A proven code: a new phone goes back to the menu; a recovery goes on to the questions. */
  protected override onVerified(turn: FlowTurn<SmsData>): Transition {
    if (turn.data.recovering) return this.askQuestions(turn);
    return this.toMenu(`Your phone ${turn.data.masked} is registered. You can now get sign-in codes by text.`);
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
    if (!kind) return { say: 'This phone is registered already, or you have as many phones as you can.' };
    turn.data.recovering = false;
    const result = await this.deps.service.startPhone(this.deps.profile(turn.context), {
      number: turn.data.number,
      country: this.deps.service.policy.phone.defaultCountry,
      channel: 'sms',
      kind,
    });
    return this.afterSend(turn, result, 'enterCode');
  }

  private async lostApp(turn: FlowTurn<SmsData>): Promise<Transition> {
    const profile = this.deps.profile(turn.context);
    switch (this.deps.service.recoveryNeeds(profile, turn.data.number)) {
      case 'noApp':
        return { say: 'You have no authenticator app registered.' };
      case 'noQuestions':
        return {
          say: `To remove a lost app by text, I need your security questions, and you have none. Contact the help desk: ${this.deps.helpDesk}.`,
        };
      case 'phoneNotRegistered':
        return { say: 'First register this phone (it proves the texts come from you), then choose this again.' };
      case 'answers':
        return this.askQuestions(turn);
      case 'phoneProof': {
        // A code to this phone: a text can claim any sender, only the phone's holder reads the reply.
        const result = await this.deps.service.startPhoneProof(profile, turn.data.number);
        turn.data.recovering = result.status === 'sent';
        return this.afterSend(turn, result, 'enterCode');
      }
    }
  }

  private askQuestions(turn: FlowTurn<SmsData>): Transition {
    const asked = this.deps.service.recoveryQuestion(this.deps.profile(turn.context), turn.data.number);
    if (asked.status !== 'ask') return this.toMenu('That took too long. Please start again.');
    return { go: 'question', instead: true };
  }

  private async answer(turn: FlowTurn<SmsData>, answer: string): Promise<Transition> {
    const result = await this.deps.service.answerRecoveryQuestion(this.deps.profile(turn.context), answer, 'sms');
    switch (result.status) {
      case 'next':
        return { again: true };
      case 'verified':
        return { go: 'confirmRemoval', instead: true };
      case 'wrong':
        return this.toMenu(
          `Those answers don't match the ones on file, so nothing changed. Try again, or contact the help desk: ${this.deps.helpDesk}.`,
        );
      case 'notProven':
        return this.toMenu('That took too long. Please start again.');
      case 'locked':
        return { end: { locked: true }, say: lockedMessage(result.until, this.deps.clock.now()) };
    }
  }

  private async removeLostApps(turn: FlowTurn<SmsData>): Promise<Transition> {
    const result = await this.deps.service.removeLostApps(this.deps.profile(turn.context), 'sms');
    if (result.status !== 'removed') return this.toMenu('That took too long. Please start again.');
    turn.data.recovering = false;
    return this.toMenu(
      `${result.apps.join(' and ')} removed. To set up your new phone's app, open Microsoft Teams on a computer or the new phone and say "security info" to me. Until then, sign in with a code texted here.`,
    );
  }

  /** Back to the menu, with what happened said just before it (so at its top). */
  private toMenu(say?: string): Transition {
    return { go: 'menu', instead: true, ...(say ? { say } : {}) };
  }

  private summary(turn: FlowTurn<SmsData>): string {
    const profile = this.deps.profile(turn.context);
    if (profile.methods.length === 0) return 'You have no security info yet.';
    const rows = methodRows(profile).map((r) => `${r.label}: ${r.detail}`);
    return [...rows, `Default sign-in: ${defaultSignIn(this.deps.service, profile)}`].join('\n');
  }
}
