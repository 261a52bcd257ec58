import type { DialogContext } from 'botbuilder-dialogs';
import { verbatim } from '../presentation/cards';
import { kindLabel } from '../presentation/labels';
import { callEndedMessage, countryChoices } from '../presentation/phoneMessages';
import type { PhoneChannel } from '../verification/phone';
import type { PhoneKind } from '../verification/profile';
import type { FlowTurn, Reply, Screen, Transition } from './cardFlowDialog';
import { CodeChallengeDialog, type CodeData, DIFFERENT_METHOD } from './codeChallengeDialog';
import type { DialogDeps } from './deps';
import type { MethodDialogOptions } from './methodResult';

export const PHONE_DIALOG = 'phone';

interface PhoneData extends CodeData {
  kind: PhoneKind;
  country: string;
  /** What the person typed, to fill the form again after Back. */
  number: string;
  extension: string;
  method: PhoneChannel;
}

const SCREEN = { phoneNumber: 'phoneNumber', calling: 'calling' } as const;

/**
 * Adds (or changes) a phone, as the browser wizard's Phone step: country,
 * number, "Text me a code" or "Call me"; then the code, or the call answered
 * with the two digits the chat shows. Office phones are called only, and may have an extension.
 */
export class PhoneDialog extends CodeChallengeDialog<PhoneData> {
  protected readonly firstScreen = SCREEN.phoneNumber;
  protected readonly texts = 'challenge.phone';

  protected readonly screens: Record<string, Screen<PhoneData>> = {
    [SCREEN.phoneNumber]: {
      show: (turn) => ({
        card: 'phoneNumber',
        data: {
          ...this.header(turn),
          title: kindLabel(turn.data.kind, turn.language),
          office: turn.data.kind === 'officePhone',
          country: turn.data.country,
          number: turn.data.number,
          extension: turn.data.extension,
          method: turn.data.method,
          countries: countryChoices(this.deps.service.policy.phone.allowedCountries, turn.language),
        },
        textAction: 'send',
        textInput: 'number',
      }),
      on: {
        send: (turn, reply) => this.send(turn, reply),
        differentMethod: () => DIFFERENT_METHOD,
      },
    },
    ...this.codeScreens,
    [SCREEN.calling]: {
      show: (turn) => ({
        card: 'calling',
        data: {
          ...this.header(turn),
          masked: verbatim(turn.data.masked),
          matchNumber: turn.data.matchNumber ?? '',
          office: turn.data.kind === 'officePhone',
        },
      }),
      on: {
        resend: (turn) => this.resend(turn),
        switchToSms: async (turn) => {
          if (turn.data.kind === 'officePhone') return { say: turn.t('challenge.officeCallOnly') };
          turn.data.method = 'sms';
          const next = await this.startSending(turn);
          // The code screen takes the call screen's place: Back goes to the number, not to a call.
          return 'go' in next ? { ...next, instead: true } : next;
        },
        differentMethod: () => DIFFERENT_METHOD,
      },
      onWake: (turn) => this.checkCall(turn),
    },
  };

  constructor(deps: DialogDeps) {
    super(PHONE_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext, options: MethodDialogOptions | undefined): PhoneData {
    const kind = options?.kind === 'alternatePhone' || options?.kind === 'officePhone' ? options.kind : 'phone';
    return {
      progress: options?.progress ?? [],
      replaces: options?.replaces,
      kind,
      country: this.deps.service.policy.phone.defaultCountry,
      number: '',
      extension: '',
      method: kind === 'officePhone' ? 'voice' : 'sms',
    };
  }

  private async send(turn: FlowTurn<PhoneData>, reply: Reply): Promise<Transition> {
    const { country, number, method, extension } = reply.values;
    if (country) turn.data.country = country;
    if (number !== undefined) turn.data.number = number;
    if (extension !== undefined) turn.data.extension = extension;
    if ((method === 'sms' || method === 'voice') && turn.data.kind !== 'officePhone') turn.data.method = method;
    if (!turn.data.number.trim()) return { say: turn.t('challenge.typeNumber') };
    return this.startSending(turn);
  }

  private async startSending(turn: FlowTurn<PhoneData>): Promise<Transition> {
    const { country, number, method, kind, extension, replaces } = turn.data;
    const result = await this.deps.service.startPhone(this.deps.profile(turn.context), {
      country,
      number,
      channel: method,
      kind,
      extension,
      replaces,
    });
    return this.afterSend(turn, result, result.status === 'sent' && result.channel === 'voice' ? SCREEN.calling : 'enterCode');
  }

  private checkCall(turn: FlowTurn<PhoneData>): Transition {
    if (!turn.data.challengeId) return { wait: true };
    const status = this.deps.service.challengeStatus(this.deps.profile(turn.context), turn.data.challengeId);
    switch (status.status) {
      case 'verified':
        turn.data.headline = turn.t('challenge.callAnswered');
        return { go: 'registered' };
      case 'callEnded':
        return { say: callEndedMessage(status.outcome, turn.language) };
      case 'waiting':
      case 'gone':
        return { wait: true };
    }
  }
}
