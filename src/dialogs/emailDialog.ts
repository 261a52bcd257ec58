import type { DialogContext } from 'botbuilder-dialogs';
import type { Screen } from './cardFlowDialog';
import { CodeChallengeDialog, type CodeData, DIFFERENT_METHOD } from './codeChallengeDialog';
import type { DialogDeps } from './deps';
import type { MethodDialogOptions } from './methodResult';

export const EMAIL_DIALOG = 'email';

interface EmailData extends CodeData {
  address: string;
}

/** Adds (or changes) an email address for password reset: the address, then the emailed code. */
export class EmailDialog extends CodeChallengeDialog<EmailData> {
  protected readonly firstScreen = 'emailAddress';
  protected readonly texts = 'challenge.email';

  protected readonly screens: Record<string, Screen<EmailData>> = {
    emailAddress: {
      show: (turn) => ({ card: 'emailAddress', data: { ...this.header(turn), address: turn.data.address }, textAction: 'send' }),
      on: {
        send: async (turn, reply) => {
          if (reply.values.address !== undefined) turn.data.address = reply.values.address.trim();
          if (!turn.data.address) return { say: turn.t('challenge.typeAddress') };
          const result = await this.deps.service.startEmail(this.deps.profile(turn.context), {
            address: turn.data.address,
            replaces: turn.data.replaces,
          });
          return this.afterSend(turn, result, 'enterCode');
        },
        differentMethod: () => DIFFERENT_METHOD,
      },
    },
    ...this.codeScreens,
  };

  constructor(deps: DialogDeps) {
    super(EMAIL_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext, options: MethodDialogOptions | undefined): EmailData {
    return { progress: options?.progress ?? [], replaces: options?.replaces, address: '' };
  }
}
