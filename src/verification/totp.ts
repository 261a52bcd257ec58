import { generateSync, generateURI, NobleCryptoPlugin, ScureBase32Plugin, verifySync } from 'otplib';

/**
 * TOTP as every authenticator app reads it (RFC 6238 §4, with the defaults of
 * the Key Uri Format): HMAC-SHA-1, 6 digits, 30-second steps from T0 = 0.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** 160-bit secrets: RFC 4226 §4 R6 recommends it, NIST SP 800-63B-4 §3.1.4.1 requires ≥ 112 bits. */
export const TOTP_SECRET_BYTES = 20;

const crypto = new NobleCryptoPlugin();
const base32 = new ScureBase32Plugin();
const CODE_SHAPE = /^\d{6}$/;

export function toBase32(secret: Uint8Array): string {
  return base32.encode(secret, { padding: false });
}

/** The `otpauth://totp/...` URI that the QR code carries. */
export function otpauthUri(args: { issuer: string; accountName: string; secret: Uint8Array }): string {
  return generateURI({
    issuer: args.issuer,
    label: args.accountName,
    secret: toBase32(args.secret),
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** Codes are typed by people: spaces and dashes between digits are forgiven. */
export function normaliseCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** Whether the input has the shape of a code (6 digits), before any crypto. */
export function isCodeShaped(code: string): boolean {
  return CODE_SHAPE.test(code);
}

export function timeStepAt(epochMs: number): number {
  return Math.floor(epochMs / 1000 / TOTP_PERIOD_SECONDS);
}

export type TotpCheck = { readonly valid: true; readonly timeStep: number } | { readonly valid: false };

/**
 * Checks a code at `epochMs`, accepting the previous and the next time step
 * too (RFC 6238 §5.2: clock drift and transmission delay). The comparison is
 * otplib's constant-time one. The code must already be {@link isCodeShaped}.
 */
export function checkTotp(secret: Uint8Array, code: string, epochMs: number): TotpCheck {
  if (!isCodeShaped(code)) return { valid: false };
  const result = verifySync({
    secret,
    token: code,
    crypto,
    epoch: Math.floor(epochMs / 1000),
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
    algorithm: 'sha1',
    epochTolerance: TOTP_PERIOD_SECONDS,
  });
  // verifySync's result type is shared with HOTP; with a TOTP epoch it always carries the time step.
  return result.valid && 'timeStep' in result ? { valid: true, timeStep: result.timeStep } : { valid: false };
}

/** The code an authenticator app shows at `epochMs` (for tests, the REST API's self-check and the benchmark). */
export function totpCodeAt(secret: Uint8Array, epochMs: number): string {
  return generateSync({
    secret,
    crypto,
    epoch: Math.floor(epochMs / 1000),
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
    algorithm: 'sha1',
  });
}
