import type { MethodKind } from '../verification/profile';
import { AUTHENTICATOR_APP_DIALOG } from './authenticatorAppDialog';
import { EMAIL_DIALOG } from './emailDialog';
import { PHONE_DIALOG } from './phoneDialog';
import { QUESTIONS_DIALOG } from './questionsDialog';

/** The dialog that adds (or changes) each kind of method. */
export const METHOD_DIALOGS: Readonly<Record<MethodKind, string>> = {
  authenticatorApp: AUTHENTICATOR_APP_DIALOG,
  phone: PHONE_DIALOG,
  alternatePhone: PHONE_DIALOG,
  officePhone: PHONE_DIALOG,
  email: EMAIL_DIALOG,
  securityQuestions: QUESTIONS_DIALOG,
};
