/**
 * What the composition root (src/index.ts) opens before the bot exists: the
 * keys, the store, the senders and the channels' adapters, each chosen by
 * the config, and the list of what must be closed again.
 */
import type { Agent as HttpsAgent } from 'node:https';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConversationParameters } from 'botbuilder';
import { turnErrorHandler } from './bot/turnErrors';
import { type ConnectorTimeouts, ReusedClientsAuthentication } from './channels/reusedClients';
import { TWILIO_SMS_SERVICE_URL, TwilioSmsAdapter } from './channels/twilioSms';
import type { Config, EncryptionKey } from './config';
import { DevOutbox } from './delivery/devOutbox';
import { combineSenders, SmtpSender } from './delivery/smtpSender';
import { TwilioSender } from './delivery/twilioSender';
import { loadOrCreateDevKey } from './devKey';
import type { Reach, ReachPrivately } from './helpdesk/helpDesk';
import type { Logger } from './kit/log';
import { CosmosStore } from './storage/cosmosStore';
import type { StoreMetering } from './storage/metering';
import { SqliteStore, sqliteFileIn } from './storage/sqliteStore';
import type { DocumentStore } from './storage/store';
import type { Clock, CodeSender, DeliveryResult, Random } from './verification/ports';

/** Everything the app started, stopped in the reverse order by {@link Owned.closeAll}. */
export class Owned {
  private readonly stops: Array<() => unknown> = [];

  /** `stop` runs when the app closes. */
  add(stop: () => unknown): void {
    this.stops.push(stop);
  }

  /** Runs `task` every `ms` until the app closes; never keeps the process alive on its own. */
  every(ms: number, task: () => void): void {
    const timer = setInterval(task, ms).unref();
    this.add(() => clearInterval(timer));
  }

  async closeAll(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop();
  }
}

/** The keys of ENCRYPTION_KEYS, else (never in production or with Cosmos DB: startRequirements.ts) a development key. */
export function encryptionKeys(config: Config, log: Logger): readonly EncryptionKey[] {
  if (config.encryptionKeys.length > 0) return config.encryptionKeys;
  log.warn(
    { dataDir: config.dataDir },
    '!!! ENCRYPTION_KEYS is not set: secrets are encrypted with a development key stored in DATA_DIR. Never run like this in production. !!!',
  );
  return [loadOrCreateDevKey(config.dataDir)];
}

/** The store of the config, counted by `metering`, closed with the app. */
export async function openStore(
  config: Config,
  clock: Clock,
  random: Random,
  metering: StoreMetering,
  owned: Owned,
  agent?: HttpsAgent,
): Promise<DocumentStore> {
  let store: DocumentStore;
  if (config.store === 'cosmos' && config.cosmos) {
    const { endpoint, key, database } = config.cosmos;
    // Without a key, the managed identity of the App Service (or the developer's az login).
    const credential = key ? undefined : new (await import('@azure/identity')).DefaultAzureCredential();
    store = await CosmosStore.open({ endpoint, key, credential, database, agent, onCharge: (ru) => metering.charge(ru) }, clock);
  } else {
    const sqlite = new SqliteStore(sqliteFileIn(config.dataDir), clock, random);
    // Expired counters, QR links and old audit events read as absent already; this only frees the space.
    owned.every(60 * 60_000, () => sqlite.sweepExpired());
    store = sqlite;
  }
  owned.add(() => store.close());
  return metering.wrap(store);
}

/** A sender for what nothing is configured to send outside local mode: a code is never written to a file there. */
function notConfigured(what: string, log: Logger): CodeSender {
  const refuse = async (): Promise<DeliveryResult> => {
    log.error(`${what} is not configured: nothing was sent`);
    return { ok: false, failure: 'unavailable', permanent: true };
  };
  return { sendSms: refuse, placeCall: refuse, sendEmail: refuse };
}

/**
 * How codes, calls and notices go out: Twilio and SMTP when configured;
 * otherwise the dev outbox in local mode, and nothing at all elsewhere.
 */
export function openSenders(config: Config, clock: Clock, log: Logger): { sender: CodeSender; outbox?: DevOutbox } {
  const needsOutbox = config.localMode && (!config.twilio || !config.smtp);
  const outbox = needsOutbox ? new DevOutbox(config.dataDir, config.publicBaseUrl, clock, log) : undefined;
  const phone = config.twilio
    ? new TwilioSender({ ...config.twilio, publicBaseUrl: config.publicBaseUrl }, log)
    : (outbox ?? notConfigured('Twilio (TWILIO_*)', log));
  const email = config.smtp ? new SmtpSender(config.smtp.url, config.smtp.from, log) : (outbox ?? notConfigured('SMTP (SMTP_URL)', log));
  if (!config.localMode && (!config.twilio || !config.smtp)) {
    log.warn(
      { twilio: !!config.twilio, smtp: !!config.smtp },
      'Twilio or SMTP is not configured: those texts, calls and emails cannot be sent (only local mode writes them to the dev outbox)',
    );
  }
  return { sender: combineSenders(phone, email), outbox };
}

/**
 * How the bot authenticates requests and reaches the channels: its
 * credentials (none in local mode), HTTP clients kept across turns, and
 * every request to a channel bounded in time (a channel that hangs must not
 * hang the turn).
 */
export function botAuthentication(config: Pick<Config, 'bot'>, timeouts?: ConnectorTimeouts, retries = true) {
  return new ReusedClientsAuthentication(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: config.bot.appId,
      MicrosoftAppPassword: config.bot.appPassword,
      MicrosoftAppType: config.bot.appType,
      MicrosoftAppTenantId: config.bot.tenantId,
    }),
    timeouts,
    retries,
  );
}

/**
 * The channels' adapters: Bot Framework's, its requests authenticated with
 * the bot's credentials (none in local mode), and the one for texts by
 * Twilio's webhook, whose later replies go through `textSender`. With them,
 * how the bot reaches a conversation by itself.
 */
export function openAdapters(config: Config, textSender: CodeSender, log: Logger, random: Random) {
  const adapter = new CloudAdapter(botAuthentication(config));
  adapter.onTurnError = turnErrorHandler(log, random);
  const smsAdapter = new TwilioSmsAdapter(textSender, log);
  smsAdapter.onTurnError = turnErrorHandler(log, random);
  const appId = config.bot.appId ?? '';
  const reach: Reach = (reference, logic) =>
    reference.serviceUrl === TWILIO_SMS_SERVICE_URL
      ? smsAdapter.continueConversation(reference, logic)
      : adapter.continueConversationAsync(appId, reference, logic);
  const reachPrivately: ReachPrivately = (activity, logic) =>
    adapter.createConversationAsync(
      appId,
      'msteams',
      activity.serviceUrl ?? '',
      'https://api.botframework.com',
      {
        isGroup: false,
        bot: activity.recipient!,
        members: [activity.from!],
        tenantId: activity.conversation?.tenantId,
        channelData: { tenant: { id: activity.conversation?.tenantId } },
      } as ConversationParameters,
      logic,
    );
  return { adapter, smsAdapter, reach, reachPrivately };
}
