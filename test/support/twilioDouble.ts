import type http from 'node:http';
import { LoopbackServer } from './loopback';

export interface TwilioRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly form: Record<string, string>;
}

interface Scripted {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * A local HTTP double of the two Twilio REST endpoints the bot uses
 * (Messages and Calls), for the real `twilio` SDK to talk to through
 * TWILIO_API_BASE_URL. Failures can be scripted one response at a time.
 */
export class TwilioDouble extends LoopbackServer {
  readonly requests: TwilioRequest[] = [];
  private readonly script: Scripted[] = [];
  private sid = 0;

  /** The next responses, in order, instead of success. */
  failNext(...responses: Scripted[]): void {
    this.script.push(...responses);
  }

  messages(): TwilioRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/Messages.json'));
  }

  calls(): TwilioRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/Calls.json'));
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://double').pathname;
      const form = Object.fromEntries(new URLSearchParams(body));
      this.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, form });
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const scripted = this.script.shift();
      if (scripted) return reply(scripted.status, scripted.body);
      const account = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(path);
      if (req.method !== 'POST' || !account) return reply(404, { code: 20404, message: 'not found', status: 404 });
      this.sid += 1;
      const prefix = account[2] === 'Messages' ? 'SM' : 'CA';
      return reply(201, {
        sid: `${prefix}${String(this.sid).padStart(32, '0')}`,
        account_sid: account[1],
        to: form.To,
        from: form.From,
        status: 'queued',
      });
    });
  }
}

/** The organisation's number the bot texts and calls from, in the tests. */
export const BOT_NUMBER = '+14255550199';

/** The settings that send the bot's real Twilio SDK to `apiBaseUrl` (the double, or a fault proxy in front of it). */
export function twilioSettings(account: { readonly sid: string; readonly token: string }, apiBaseUrl: string): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: account.sid,
    TWILIO_AUTH_TOKEN: account.token,
    TWILIO_FROM_NUMBER: BOT_NUMBER,
    TWILIO_API_BASE_URL: apiBaseUrl,
  };
}
