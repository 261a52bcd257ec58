import { readOutbox } from '../../support/outbox';

/** The code of the last email with one to `to` in the dev outbox, read as a person reads their mail. */
export function lastEmailedCode(file: string, to: string): string {
  const emails = readOutbox(file).filter((e) => e.channel === 'email' && e.to === to);
  const code = emails
    .map((e) => /\b(\d{6})\b/.exec(e.body)?.[1])
    .filter(Boolean)
    .at(-1);
  if (!code) throw new Error(`no code was emailed to ${to}`);
  return code;
}

/** Retries `read` until it stops throwing (the outbox is written while the card is on its way). */
export async function eventually<T>(read: () => T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return read();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
