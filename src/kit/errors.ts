/**
 * Errors are for bugs and outages, never for expected outcomes (a wrong code
 * is a result). Each class has a stable `code`; `expose` says whether its
 * message may be shown to a user as it is.
 */
export class AppError extends Error {
  readonly code: string;
  readonly expose: boolean;

  constructor(code: string, message: string, options: { expose?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.expose = options.expose ?? false;
  }
}

/** More is asked of the service than it can answer now: the person is told to try again in a minute. */
export class BusyError extends AppError {
  constructor(code: string, cause?: unknown) {
    super(code, 'The service is busy. Please try again in a minute.', { expose: true, cause });
  }
}

/** A setting is missing or malformed; the message names the variable. */
export class ConfigError extends AppError {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super('config_invalid', `${variable}: ${problem}`, { expose: true });
    this.variable = variable;
  }
}

/** A conditional write lost: someone else changed the document first. */
export class PreconditionFailedError extends AppError {
  constructor(what: string) {
    super('precondition_failed', `${what} was changed by someone else`);
  }
}

/** A ciphertext could not be decrypted (unknown key id, tampering, wrong binding). */
export class DecryptionError extends AppError {
  constructor(message: string) {
    super('decryption_failed', message);
  }
}
