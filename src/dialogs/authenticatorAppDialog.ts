import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { type Language, t } from '../kit/texts';
import { verbatim } from '../presentation/cards';
import { supportsCards } from '../presentation/channelPresenter';
import { DOWNLOAD_URL, inAbout, MICROSOFT_AUTHENTICATOR, otherAuthenticator, type ProgressStep } from '../presentation/labels';
import { QR_DISPLAY_WIDTH } from '../presentation/qr';
import type { CodeResult } from '../verification/service';
import { CardFlowDialog, type FlowTurn, type Reply, type Screen, type Transition, type View } from './cardFlowDialog';
import { type DialogDeps, stepUpFirst } from './deps';
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
      appName: appName(turn),
      microsoft: turn.data.microsoft,
    };
  }

  private startEnrollment(turn: FlowTurn<AppData>): Transition {
    // The key would travel in the clear over a text-only channel (SMS): never.
    if (!supportsCards(turn.context.activity.channelId))
      return { end: { differentMethod: true } satisfies MethodResult, say: turn.t('app.needsAScreen') };
    const result = this.deps.service.startAuthenticatorApp(this.deps.profile(turn.context), appName(turn));
    switch (result.status) {
      case 'started':
        return { go: SCREEN.scanQrCode };
      case 'limitReached':
        return {
          end: { differentMethod: true } satisfies MethodResult,
          say: turn.t('app.limitReached', { max: result.max }),
        };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(turn.language, result.until, this.now()) };
      case 'notAllowed':
        return { end: { differentMethod: true } satisfies MethodResult, say: turn.t('app.notAllowed') };
      case 'stepUpRequired':
        return stepUpFirst(turn.language);
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
      const started = this.deps.service.startAuthenticatorApp(profile, appName(turn));
      enrollment = this.deps.service.pendingAppEnrollment(profile);
      if (started.status !== 'started' || !enrollment) {
        const headline =
          started.status === 'locked'
            ? lockedMessage(turn.language, started.until, this.now())
            : turn.t(started.status === 'stepUpRequired' ? 'app.newQrNeedsProof' : 'app.newQrNotNow');
        return { card: 'qrCodeRemoved', data: { appName: appName(turn), headline, verified: false } };
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
        data: { appName: enrollment.appName, headline: turn.t('app.qrNoLongerValid'), verified: false },
        revokes: this.deps.qrImageHandle(qrImage),
      },
    };
  }

  private async verifyCode(turn: FlowTurn<AppData>, reply: Reply): Promise<Transition> {
    const code = reply.values.code ?? '';
    if (code.trim() === '') return { say: turn.t('app.enterCode') };
    const result: CodeResult = await this.deps.service.verifyAuthenticatorApp(
      this.deps.profile(turn.context),
      code,
      this.deps.via(turn.context),
    );
    switch (result.status) {
      case 'verified':
        turn.retireWith({ appName: appName(turn), headline: turn.t('app.registered', { app: appName(turn) }), verified: true });
        return { end: { registered: true } satisfies MethodResult, say: turn.t('app.accepted', { app: appName(turn) }) };
      case 'malformed':
        return { say: turn.t('app.malformed') };
      case 'wrong':
        return {
          say: turn.t('app.wrong', { orgName: this.deps.orgName, count: result.attemptsLeft }),
        };
      case 'attemptsExhausted':
        return this.newQrCode(turn, turn.t('app.attemptsExhausted'));
      case 'expired':
      case 'nothingPending':
        return this.newQrCode(turn, turn.t('app.expired'));
      case 'replayed':
        return { say: turn.t('app.replayed') };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(turn.language, result.until, this.now()) };
      case 'stepUpRequired':
        return stepUpFirst(turn.language);
    }
  }

  /** A new QR code in place of a dead one; a fresh proof first when the one that let this start has lapsed. */
  private newQrCode(turn: FlowTurn<AppData>, say: string): Transition {
    if (this.deps.service.stepUpRequired(this.deps.profile(turn.context))) {
      const first = stepUpFirst(turn.language);
      return { ...first, say: `${say} ${first.say}` };
    }
    return { again: true, say };
  }

  private now(): number {
    return this.deps.clock.now();
  }
}

function appName(turn: FlowTurn<AppData>): string {
  return turn.data.microsoft ? MICROSOFT_AUTHENTICATOR : otherAuthenticator(turn.language);
}

/** What a person is told when verification is locked. */
export function lockedMessage(language: Language, until: number | undefined, now: number): string {
  if (until === undefined) return t(language, 'locked.forGood');
  return t(language, 'locked.forNow', { when: inAbout(until - now, language) });
}
