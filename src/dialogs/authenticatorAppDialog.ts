import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { verbatim } from '../presentation/cards';
import { supportsCards } from '../presentation/channelPresenter';
import {
  APP_NEEDS_A_SCREEN,
  DOWNLOAD_URL,
  inAbout,
  MICROSOFT_AUTHENTICATOR,
  OTHER_AUTHENTICATOR,
  type ProgressStep,
} from '../presentation/labels';
import { QR_DISPLAY_WIDTH } from '../presentation/qr';
import type { CodeResult } from '../verification/service';
import { CardFlowDialog, type FlowTurn, type Reply, type Screen, type Transition, type View } from './cardFlowDialog';
import { type DialogDeps, STEP_UP_FIRST } from './deps';
import type { MethodDialogOptions, MethodResult } from './methodResult';

export const AUTHENTICATOR_APP_DIALOG = 'authenticatorApp';

interface AppData {
  microsoft: boolean;
  progress: readonly ProgressStep[];
  /** Whether the current secret was shown already (it never is twice). */
  qrShown?: boolean;
}

const SCREEN = { getTheApp: 'getTheApp', setUpAccount: 'setUpAccount', scanQrCode: 'scanQrCode' } as const;

/**
 * Adds an authenticator app, as the browser wizard does: get the app, set up
 * the account, scan the QR code (or type the key), enter the first code.
 */
export class AuthenticatorAppDialog extends CardFlowDialog<AppData, MethodDialogOptions> {
  protected readonly firstScreen = SCREEN.getTheApp;

  protected readonly screens: Record<string, Screen<AppData>> = {
    [SCREEN.getTheApp]: {
      show: (turn) => ({ card: 'getTheApp', data: { ...this.common(turn), downloadUrl: DOWNLOAD_URL } }),
      on: {
        next: () => ({ go: SCREEN.setUpAccount }),
        differentApp: (turn) => {
          turn.data.microsoft = false;
          return { go: SCREEN.setUpAccount };
        },
        differentMethod: () => ({ end: { differentMethod: true } satisfies MethodResult }),
      },
    },
    [SCREEN.setUpAccount]: {
      show: (turn) => ({ card: 'setUpAccount', data: this.common(turn) }),
      on: {
        next: (turn) => {
          turn.data.qrShown = false;
          return this.startEnrollment(turn);
        },
        microsoftApp: (turn) => {
          turn.data.microsoft = true;
          return { go: SCREEN.getTheApp };
        },
        differentMethod: () => ({ end: { differentMethod: true } satisfies MethodResult }),
      },
    },
    [SCREEN.scanQrCode]: {
      show: (turn) => this.showQrCode(turn),
      on: {
        verify: (turn, reply) => this.verifyCode(turn, reply),
        back: (turn) => {
          this.deps.service.abandonAuthenticatorApp(this.deps.profile(turn.context));
          return { back: true };
        },
        differentMethod: (turn) => {
          this.deps.service.abandonAuthenticatorApp(this.deps.profile(turn.context));
          return { end: { differentMethod: true } satisfies MethodResult };
        },
      },
    },
  };

  constructor(deps: DialogDeps) {
    super(AUTHENTICATOR_APP_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext, options: MethodDialogOptions | undefined): AppData {
    return { microsoft: true, progress: options?.progress ?? [] };
  }

  protected override onLeave(context: TurnContext): void {
    this.deps.service.abandonAuthenticatorApp(this.deps.profile(context));
  }

  private common(turn: FlowTurn<AppData>) {
    return {
      orgName: this.deps.orgName,
      steps: turn.data.progress,
      appName: appName(turn.data),
      microsoft: turn.data.microsoft,
    };
  }

  private startEnrollment(turn: FlowTurn<AppData>): Transition {
    // The key would travel in the clear over a text-only channel (SMS): never.
    if (!supportsCards(turn.context.activity.channelId))
      return { end: { differentMethod: true } satisfies MethodResult, say: APP_NEEDS_A_SCREEN };
    const result = this.deps.service.startAuthenticatorApp(this.deps.profile(turn.context), appName(turn.data));
    switch (result.status) {
      case 'started':
        return { go: SCREEN.scanQrCode };
      case 'limitReached':
        return {
          end: { differentMethod: true } satisfies MethodResult,
          say: `You already have ${result.max} authenticator apps, the most allowed. Remove one before adding another.`,
        };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(result.until, this.now()) };
      case 'notAllowed':
        return { end: { differentMethod: true } satisfies MethodResult, say: 'Authenticator apps are not available for your account.' };
      case 'stepUpRequired':
        return STEP_UP_FIRST;
    }
  }

  /**
   * The QR card. A secret is shown once: showing the card again (an old card
   * clicked, a QR code expired or voided) starts over with a new secret.
   */
  private async showQrCode(turn: FlowTurn<AppData>): Promise<View> {
    const profile = this.deps.profile(turn.context);
    let enrollment = turn.data.qrShown ? undefined : this.deps.service.pendingAppEnrollment(profile);
    if (!enrollment) {
      const started = this.deps.service.startAuthenticatorApp(profile, appName(turn.data));
      enrollment = this.deps.service.pendingAppEnrollment(profile);
      if (started.status !== 'started' || !enrollment) {
        const headline =
          started.status === 'locked'
            ? lockedMessage(started.until, this.now())
            : started.status === 'stepUpRequired'
              ? 'A new QR code needs a fresh proof that it is you: say "start over".'
              : 'A new QR code cannot be made right now.';
        return { card: 'qrCodeRemoved', data: { appName: appName(turn.data), headline, verified: false } };
      }
    }
    turn.data.qrShown = true;
    const qrImage = await this.deps.qrImage(enrollment.otpauthUri);
    return {
      card: 'scanQrCode',
      data: {
        ...this.common(turn),
        qrImage: verbatim(qrImage),
        qrSize: QR_DISPLAY_WIDTH,
        issuer: enrollment.issuer,
        accountName: verbatim(enrollment.accountName),
        secretKey: verbatim(enrollment.secretKey),
      },
      textAction: 'verify',
      retireWith: {
        card: 'qrCodeRemoved',
        data: { appName: enrollment.appName, headline: 'This QR code is no longer valid.', verified: false },
        revokes: this.deps.qrImageHandle(qrImage),
      },
    };
  }

  private async verifyCode(turn: FlowTurn<AppData>, reply: Reply): Promise<Transition> {
    const code = reply.values.code ?? '';
    if (code.trim() === '') return { say: 'Enter the 6-digit code that your app shows for this account, then choose Next.' };
    const result: CodeResult = await this.deps.service.verifyAuthenticatorApp(
      this.deps.profile(turn.context),
      code,
      this.deps.via(turn.context),
    );
    switch (result.status) {
      case 'verified':
        turn.retireWith({ appName: appName(turn.data), headline: `${appName(turn.data)} is registered.`, verified: true });
        return { end: { registered: true } satisfies MethodResult, say: `Your code was accepted: ${appName(turn.data)} is registered.` };
      case 'malformed':
        return { say: 'A code has 6 digits, like 123456. Enter the code your app shows for this account.' };
      case 'wrong':
        return {
          say: `That code didn't work. Check that you typed the code shown for your ${this.deps.orgName} account, and that your phone's clock is right. ${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left for this QR code.`,
        };
      case 'attemptsExhausted':
        return this.newQrCode(
          turn,
          'Too many wrong codes: that QR code no longer works. Delete the account you just added in your app, then scan this new QR code.',
        );
      case 'expired':
      case 'nothingPending':
        return this.newQrCode(turn, 'That QR code has expired. Here is a new one: delete the old account in your app, then scan this one.');
      case 'replayed':
        return { say: 'That code was already used. Wait for the next code in your app.' };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(result.until, this.now()) };
      case 'stepUpRequired':
        return STEP_UP_FIRST;
    }
  }

  /** A new QR code in place of a dead one; a fresh proof first when the one that let this start has lapsed. */
  private newQrCode(turn: FlowTurn<AppData>, say: string): Transition {
    if (this.deps.service.stepUpRequired(this.deps.profile(turn.context))) return { ...STEP_UP_FIRST, say: `${say} ${STEP_UP_FIRST.say}` };
    return { again: true, say };
  }

  private now(): number {
    return this.deps.clock.now();
  }
}

function appName(data: AppData): string {
  return data.microsoft ? MICROSOFT_AUTHENTICATOR : OTHER_AUTHENTICATOR;
}

/** What a person is told when verification is locked. */
export function lockedMessage(until: number | undefined, now: number): string {
  if (until === undefined) {
    return 'For your security, verification is locked after too many wrong codes. Please contact the help desk to unlock it.';
  }
  return `For your security, verification is locked after too many wrong codes. You can try again ${inAbout(until - now)}, or contact the help desk.`;
}
