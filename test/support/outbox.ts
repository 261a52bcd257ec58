import fs from 'node:fs';
import type { OutboxEntry } from '../../src/delivery/devOutbox';

export function readOutbox(file: string): OutboxEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboxEntry);
}

/** The code of the last text to `to`, read as a person reads their phone. */
export function lastTextedCode(file: string, to?: string): string {
  const texts = readOutbox(file).filter((e) => e.channel === 'sms' && (!to || e.to === to));
  const code = /\b(\d{6})\b/.exec(texts.at(-1)?.body ?? '')?.[1];
  if (!code) throw new Error('no code was texted');
  return code;
}

export function lastCall(file: string): OutboxEntry {
  const call = readOutbox(file)
    .filter((e) => e.channel === 'voice')
    .at(-1);
  if (!call) throw new Error('no call was placed');
  return call;
}

/** The call token in a dev answer URL. */
export function callTokenOf(entry: OutboxEntry): string {
  const match = /\/api\/dev\/calls\/([^/]+)\/answer$/.exec(entry.answerUrl ?? '');
  if (!match?.[1]) throw new Error('no answer URL');
  return decodeURIComponent(match[1]);
}
