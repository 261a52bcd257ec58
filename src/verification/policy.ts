import type { MethodKind } from './profile';

/**
 * What the organisation requires, and the numbers of DESIGN §5. The defaults
 * follow NIST SP 800-63B-4 and OWASP ASVS 5.0 V6; a policy may only tighten them.
 */
export interface Policy {
  /** Methods the wizard walks through, in order, until each is registered. */
  readonly requiredMethods: readonly MethodKind[];
  /** Methods the "different method" choice offers. */
  readonly enabledMethods: readonly MethodKind[];
  readonly maxAuthenticatorApps: number;
  /** How long a QR code may wait for its first code. */
  readonly appEnrollmentMinutes: number;
  /** Wrong codes for one enrollment or one code before it is void (ASVS 5.0 V6.3). */
  readonly attemptsPerCode: number;
  /** Consecutive failures across codes that lock verification (NIST SP 800-63B §3.2.2 rate limiting). */
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
  /** NIST SP 800-63B §3.2.2: never more than 100 consecutive failures without a human. */
  readonly failuresBeforeHelpDesk: number;
  readonly phone: PhonePolicy;
}

export interface PhonePolicy {
  /** ISO 3166 code preselected in the country list. */
  readonly defaultCountry: string;
  /** Countries texts and calls may go to (SMS-pumping and toll-fraud guard). */
  readonly allowedCountries: readonly string[];
  /** Life of a texted code (NIST SP 800-63B §3.1.3.1: at most 10 minutes). */
  readonly codeLifetimeMinutes: number;
  /** How long a call may be answered. */
  readonly callLifetimeMinutes: number;
  readonly resendCooldownSeconds: number;
  /** Texts and calls per person per UTC day. */
  readonly sendsPerUserPerDay: number;
  /** Texts and calls per phone number per UTC day, whoever asks. */
  readonly sendsPerNumberPerDay: number;
}

export const defaultPolicy: Policy = {
  requiredMethods: ['authenticatorApp', 'phone'],
  enabledMethods: ['authenticatorApp', 'phone'],
  maxAuthenticatorApps: 5,
  appEnrollmentMinutes: 15,
  attemptsPerCode: 5,
  lockoutThreshold: 10,
  lockoutMinutes: 15,
  failuresBeforeHelpDesk: 100,
  phone: {
    defaultCountry: 'US',
    allowedCountries: [
      'US',
      'CA',
      'GB',
      'IE',
      'FR',
      'DE',
      'NL',
      'BE',
      'LU',
      'ES',
      'PT',
      'IT',
      'CH',
      'AT',
      'SE',
      'NO',
      'DK',
      'FI',
      'PL',
      'AU',
      'NZ',
      'JP',
      'IN',
      'SG',
      'MX',
      'BR',
    ],
    codeLifetimeMinutes: 5,
    callLifetimeMinutes: 5,
    resendCooldownSeconds: 60,
    sendsPerUserPerDay: 10,
    sendsPerNumberPerDay: 10,
  },
};
