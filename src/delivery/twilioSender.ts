import twilio from 'twilio';
import type { Logger } from '../kit/log';
import { maskPhone } from '../verification/phone';
import type { CodeSender, DeliveryFailure, DeliveryResult, OutgoingCall } from '../verification/ports';
import { voiceUrls } from './voiceUrls';

/** A voice Twilio's <Say> has (the Messenger names it: en-US, es-US). */
type SayLanguage = Extract<Parameters<InstanceType<typeof twilio.twiml.VoiceResponse>['say']>[0], { language?: unknown }>['language'];

export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  readonly from: string;
  /** Where the REST calls go instead of Twilio's own hosts (a proxy, a local double). */
  readonly apiBaseUrl?: string;
  readonly publicBaseUrl: string;
}

type RequestOptions<TData> = Parameters<typeof twilio.RequestClient.prototype.request<TData>>[0];

/**
 * How long a text or call may keep a turn waiting: one request to Twilio
 * (the SDK's own default is 30 s), and all the attempts with their pauses.
 * Bot Framework waits 15 s for a turn's answer, and the person is waiting
 * too; Twilio's API answers in well under a second when it is up.
 */
export const TWILIO_TIMEOUTS = { requestMs: 4_000, totalMs: 9_000 } as const;

/**
 * The SDK's HTTP client with a bounded time-out; with `baseUrl`, every
 * request goes to another origin, keeping the SDK's own auth, form encoding
 * and error handling: only the scheme, host and port change.
 */
class BoundedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
  }

  override request<TData>(opts: RequestOptions<TData>) {
    if (!this.baseUrl) return super.request<TData>(opts);
    const target = new URL(this.baseUrl);
    const uri = new URL(opts.uri);
    uri.protocol = target.protocol;
    uri.host = target.host;
    return super.request<TData>({ ...opts, uri: uri.toString() });
  }
}

/** Twilio error codes (https://www.twilio.com/docs/api/errors) that no retry will change. */
const PERMANENT: Record<number, DeliveryFailure> = {
  21211: 'invalidNumber', // invalid 'To' phone number
  13223: 'invalidNumber', // call: invalid phone number format
  13224: 'invalidNumber', // call: invalid phone number
  21614: 'notMobile', // 'To' number is not a valid mobile number
  21408: 'unreachable', // permission to send an SMS has not been enabled for the region
  21612: 'unreachable', // the 'To' number is not currently reachable via SMS
  21215: 'unreachable', // geo permission for calls not enabled
  21216: 'unreachable', // call blocked (high-risk number)
  21610: 'optedOut', // the recipient replied STOP
};

interface TwilioError {
  status?: number;
  code?: number;
}

/**
 * Texts and calls through Twilio. Transient failures (5xx, 429, time-outs,
 * network errors) are retried with backoff, within {@link TWILIO_TIMEOUTS}
 * in all; a permanent refusal comes back as a result the dialog turns into a
 * clear message.
 */
export class TwilioSender implements Pick<CodeSender, 'sendSms' | 'placeCall'> {
  private readonly client: twilio.Twilio;

  constructor(
    private readonly settings: TwilioSettings,
    private readonly log: Logger,
    private readonly retry: {
      readonly delaysMs: readonly number[];
      readonly sleep: (ms: number) => Promise<void>;
      /** Milliseconds since some fixed moment (to keep the attempts within the total). */
      readonly now?: () => number;
      readonly timeouts?: { readonly requestMs: number; readonly totalMs: number };
    } = {
      delaysMs: [250, 1000],
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  ) {
    const timeouts = retry.timeouts ?? TWILIO_TIMEOUTS;
    this.client = twilio(settings.accountSid, settings.authToken, {
      httpClient: new BoundedRequestClient(settings.apiBaseUrl, timeouts.requestMs),
    });
  }

  sendSms(to: string, body: string): Promise<DeliveryResult> {
    return this.attempt('sms', to, () => this.client.messages.create({ to, from: this.settings.from, body }));
  }

  placeCall(to: string, call: OutgoingCall): Promise<DeliveryResult> {
    const urls = voiceUrls(this.settings.publicBaseUrl, call.callToken);
    const twiml = new twilio.twiml.VoiceResponse();
    const voice = { language: call.voice as SayLanguage };
    // Two digits: the number the chat shows (number matching). finishOnKey="" so # is not taken as the end.
    twiml.gather({ numDigits: 2, finishOnKey: '', action: urls.gather, method: 'POST', timeout: 15 }).say(voice, call.greeting);
    twiml.say(voice, call.noAnswer);
    return this.attempt('voice', to, () =>
      this.client.calls.create({
        to,
        from: this.settings.from,
        twiml: twiml.toString(),
        statusCallback: urls.status,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['completed'],
        timeout: 30,
        // An office extension is dialled once the call connects ("w" waits half a second).
        ...(call.extension ? { sendDigits: `wwww${call.extension}` } : {}),
      }),
    );
  }

  private async attempt(channel: 'sms' | 'voice', to: string, send: () => Promise<unknown>): Promise<DeliveryResult> {
    const now = this.retry.now ?? (() => performance.now());
    const { requestMs, totalMs } = this.retry.timeouts ?? TWILIO_TIMEOUTS;
    const started = now();
    for (let attempt = 0; ; attempt++) {
      try {
        await send();
        this.log.info({ channel, to: maskPhone(to), attempt }, 'twilio accepted');
        return { ok: true };
      } catch (err) {
        const { status, code } = err as TwilioError;
        const transient = status === undefined || status >= 500 || status === 429;
        this.log.warn({ channel, to: maskPhone(to), status, twilioCode: code, attempt, transient }, 'twilio refused');
        if (!transient) return { ok: false, failure: (code !== undefined && PERMANENT[code]) || 'rejected', permanent: true };
        const delay = this.retry.delaysMs[attempt];
        // No attempt starts that could not finish within the total.
        if (delay === undefined || now() - started + delay + requestMs > totalMs)
          return { ok: false, failure: 'unavailable', permanent: false };
        await this.retry.sleep(delay);
      }
    }
  }
}
