import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields that may carry a secret, a code or a key. Logs never show them;
 * the test of this list writes each one and reads the output.
 */
export const REDACTED_PATHS = [
  'secret',
  'secretKey',
  'sealedSecret',
  'code',
  'otpauthUri',
  'qrImage',
  'password',
  'token',
  'key',
  'authorization',
  '*.secret',
  '*.secretKey',
  '*.sealedSecret',
  '*.code',
  '*.otpauthUri',
  '*.qrImage',
  '*.password',
  '*.token',
  '*.key',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-twilio-signature"]',
  'activity.value',
  'activity.text',
  'activity.attachments',
];

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'security-info-assistant' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
