import type { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConversationParameters } from 'botbuilder';
import { CallResults } from './bot/callResults';
import { EnrollmentBot } from './bot/enrollmentBot';
import { SmsGate } from './bot/smsGate';
import { turnErrorHandler } from './bot/turnErrors';
import { registerAdminRoutes } from './channels/adminRoutes';
import { registerQrRoute } from './channels/qrRoute';
import { ReusedClientsAuthentication } from './channels/reusedClients';
import { createServer } from './channels/server';
import { registerSmsRoutes, TWILIO_SMS_SERVICE_URL, TwilioSmsAdapter } from './channels/twilioSms';
import { registerVoiceRoutes } from './channels/twilioVoice';
import { type Config, HELPDESK_DEFAULTS, loadConfig } from './config';
import { DevOutbox } from './delivery/devOutbox';
import { honourOptOuts } from './delivery/optOuts';
import { combineSenders, SmtpSender } from './delivery/smtpSender';
import { TwilioSender } from './delivery/twilioSender';
import { loadOrCreateDevKey } from './devKey';
import { MainDialogs } from './dialogs/mainDialog';
import { HelpDesk, type Reach, type ReachPrivately } from './helpdesk/helpDesk';
import { TicketBook } from './helpdesk/tickets';
import { ConfigError } from './kit/errors';
import { createLogger, type Logger } from './kit/log';
import { loadPolicyFile } from './policyFile';
import { CardRenderer } from './presentation/cards';
import { ChannelPresenter } from './presentation/channelPresenter';
import { qrPngDataUri } from './presentation/qr';
import { QrLinks } from './presentation/qrLinks';
import { Directory, loadDirectory, SAMPLE_DIRECTORY } from './state/directory';
import { PersonState } from './state/personState';
import { Aliases } from './storage/aliases';
import { StoreAuditLog } from './storage/auditStore';
import { CosmosStore } from './storage/cosmosStore';
import { StoreCounters } from './storage/counters';
import { StoreMetering } from './storage/metering';
import { SqliteStore, sqliteFileIn } from './storage/sqliteStore';
import type { DocumentStore } from './storage/store';
import { defaultPolicy, type Policy } from './verification/policy';
import { type Clock, type CodeSender, cryptoRandom, type Random, systemClock } from './verification/ports';
import { SecretBox } from './verification/secretBox';
import { VerificationService } from './verification/service';

export interface App {
  readonly url: string;
  readonly log: Logger;
  /** Reposts the tickets nobody claimed, and takes spent passes out of agents' chats (a timer calls both every minute; tests call them with a frozen clock). */
  readonly helpDesk: Pick<HelpDesk, 'repostStale' | 'retireSpentPasses'>;
  close(): Promise<void>;
}

export interface AppOverrides {
  readonly clock?: Clock;
  readonly random?: Random;
  readonly log?: Logger;
  /** Cosmos DB only: a client-scoped agent (tests trust a local server's certificate with it). */
  readonly cosmosAgent?: HttpsAgent;
  /** Counts the store operations of each turn (the benchmark reads them from its own). */
  readonly metering?: StoreMetering;
}

/** The store of the config, counted by `metering`. */
async function openStore(
  config: Config,
  clock: Clock,
  random: Random,
  metering: StoreMetering,
  agent?: HttpsAgent,
): Promise<DocumentStore> {
  if (config.store === 'cosmos' && config.cosmos) {
    const { endpoint, key, database } = config.cosmos;
    // Without a key, the managed identity of the App Service (or the developer's az login).
    const credential = key ? undefined : new (await import('@azure/identity')).DefaultAzureCredential();
    return metering.wrap(
      await CosmosStore.open({ endpoint, key, credential, database, agent, onCharge: (ru) => metering.charge(ru) }, clock),
    );
  }
  const sqlite = new SqliteStore(sqliteFileIn(config.dataDir), clock, random);
  // Expired counters, QR links and old audit events read as absent already; this only frees the space.
  setInterval(() => sqlite.sweepExpired(), 60 * 60_000).unref();
  return metering.wrap(sqlite);
}

export interface BotParts {
  readonly store: DocumentStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly secretBox: SecretBox;
  readonly orgName: string;
  readonly policy?: Policy;
  readonly directory?: Directory;
  readonly allowedTenantId?: string;
  readonly sender: CodeSender;
  /** Local unauthenticated mode: take names the client sends as UPNs (for the directory's roles). */
  readonly trustClientNames?: boolean;
  /** How QR codes reach the card (default: a PNG data URI inside it). */
  readonly qrImage?: (otpauthUri: string) => Promise<string>;
  /** The help desk: how people reach it, its Teams channel, its agents, its webhook. */
  readonly helpDesk?: Config['helpDesk'];
  /** Runs a proactive turn in a conversation (agents' messages, ticket posts); absent in dialog tests. */
  readonly reach?: Reach;
  /** Opens a one-to-one chat with an agent (for a Temporary Access Pass); absent in dialog tests. */
  readonly reachPrivately?: ReachPrivately;
  /** The bot's Microsoft App id, as the sender of help-desk channel posts. */
  readonly appId?: string;
}

const NO_HELP_DESK: Config['helpDesk'] = {
  contact: HELPDESK_DEFAULTS.contact,
  agentIds: [],
  repostMinutes: HELPDESK_DEFAULTS.repostMinutes,
};

/** Services → dialogs → bot, over a store. The HTTP server and the dialog tests both start here. */
export function composeBot(parts: BotParts) {
  const { store, clock, random, log, orgName } = parts;
  const policy = parts.policy ?? defaultPolicy;
  const audit = new StoreAuditLog(store, random);
  const counters = new StoreCounters(store);
  const aliases = new Aliases(store, parts.secretBox);
  const sender = honourOptOuts(parts.sender, aliases);
  const helpDeskConfig = parts.helpDesk ?? NO_HELP_DESK;
  const service = new VerificationService({
    clock,
    random,
    secretBox: parts.secretBox,
    policy,
    issuer: orgName,
    counters,
    sender,
    audit,
  });
  const directory = parts.directory ?? new Directory([]);
  const presenter = new ChannelPresenter(log);
  const state = new PersonState(store, aliases);
  const cards = new CardRenderer();
  const helpDesk = new HelpDesk({
    tickets: new TicketBook(store, clock, random),
    state,
    service,
    cards,
    audit,
    clock,
    log,
    reach: parts.reach ?? (async () => Promise.reject(new Error('no proactive messages here'))),
    reachPrivately: parts.reachPrivately ?? (async () => Promise.reject(new Error('no private chats here'))),
    contact: helpDeskConfig.contact,
    channel: helpDeskConfig.channel,
    appId: parts.appId,
    agentIds: helpDeskConfig.agentIds,
    webhookUrl: helpDeskConfig.webhookUrl,
    repostMinutes: helpDeskConfig.repostMinutes,
  });
  const dialogs = new MainDialogs({
    service,
    cards,
    random,
    clock,
    orgName,
    profile: (context) => {
      const profile = state.get(context).profile;
      if (!profile) throw new Error('the profile is not loaded');
      return profile;
    },
    present: (context, card) => presenter.present(context, card),
    replace: (context, id, card) => presenter.replace(context, id, card),
    qrImage: parts.qrImage ?? qrPngDataUri,
    helpDesk: helpDeskConfig.contact,
    note: (context, from, text) => state.note(context, { at: clock.now(), from, text }),
    escalate: (context, reason) => helpDesk.escalate(context, reason),
  });
  const bot = new EnrollmentBot({
    state,
    dialogs,
    log,
    orgName,
    roleOf: (upn, upnVerified) => (upnVerified ? directory.find(upn)?.role : undefined) ?? policy.defaultRole,
    trustClientNames: parts.trustClientNames,
    allowedTenantId: parts.allowedTenantId,
    personOfUpn: (upn) => aliases.personOfUpn(upn),
    sms: new SmsGate({ aliases, directory, counters, secretBox: parts.secretBox, clock, log, orgName, helpDesk: helpDeskConfig.contact }),
    helpDesk,
    isLocked: (profile) => !!service.lockStatus(profile),
  });
  // The sender that honours opt-outs: what texts outside the verification service (SMS replies sent later) go through too.
  return { bot, service, state, audit, helpDesk, sender };
}

/**
 * The composition root: config → store → services → dialogs → bot → routes.
 * Tests call it with their own config, clock and logger.
 */
export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;

  let keys = config.encryptionKeys;
  if (keys.length === 0) {
    keys = [loadOrCreateDevKey(config.dataDir)];
    log.warn(
      { dataDir: config.dataDir },
      '!!! ENCRYPTION_KEYS is not set: secrets are encrypted with a development key stored in DATA_DIR. Never run like this in production. !!!',
    );
  }

  // Files first: a bad policy or directory stops the start before anything is opened.
  const policy = config.policyFile ? loadPolicyFile(config.policyFile) : defaultPolicy;
  const directory = loadDirectory(config.directoryFile ?? SAMPLE_DIRECTORY, new Set(Object.keys(policy.roles)));
  const metering = overrides.metering ?? new StoreMetering();
  const store = await openStore(config, clock, random, metering, overrides.cosmosAgent);
  const outbox = new DevOutbox(config.dataDir, config.publicBaseUrl, clock, log);
  const sender = combineSenders(
    config.twilio ? new TwilioSender({ ...config.twilio, publicBaseUrl: config.publicBaseUrl }, log) : outbox,
    config.smtp ? new SmtpSender(config.smtp.url, config.smtp.from, log) : outbox,
  );
  if (!config.twilio || !config.smtp) {
    log.warn(
      { outbox: outbox.file, twilio: !!config.twilio, smtp: !!config.smtp },
      'Twilio or SMTP is not configured: those texts, calls and emails go to the dev outbox file.',
    );
  }
  const secretBox = new SecretBox(keys, random);
  if (!config.bot.appId) {
    log.warn('MicrosoftAppId is not set: /api/messages accepts unauthenticated requests (local Emulator / Playground mode only).');
  }
  const adapter = new CloudAdapter(
    new ReusedClientsAuthentication(
      new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: config.bot.appId,
        MicrosoftAppPassword: config.bot.appPassword,
        MicrosoftAppType: config.bot.appType,
        MicrosoftAppTenantId: config.bot.tenantId,
      }),
    ),
  );
  adapter.onTurnError = turnErrorHandler(log, random);
  /** A proactive turn in a conversation: texts by Twilio's webhook through their adapter (made below), the rest through Bot Framework. */
  const reach: Reach = (reference, logic) =>
    reference.serviceUrl === TWILIO_SMS_SERVICE_URL
      ? smsAdapter.continueConversation(reference, logic)
      : adapter.continueConversationAsync(config.bot.appId ?? '', reference, logic);
  const qrLinks = config.qrImageMode === 'url' ? new QrLinks(store, secretBox, random, clock, config.publicBaseUrl) : undefined;
  const {
    bot,
    service,
    state,
    audit,
    helpDesk,
    sender: textSender,
  } = composeBot({
    qrImage: qrLinks ? (uri) => qrLinks.create(uri) : undefined,
    store,
    clock,
    random,
    log,
    secretBox,
    sender,
    policy,
    directory,
    orgName: config.orgName,
    allowedTenantId: config.allowedTenantId,
    trustClientNames: !config.bot.appId,
    helpDesk: config.helpDesk,
    reach,
    reachPrivately: (activity, logic) =>
      adapter.createConversationAsync(
        config.bot.appId ?? '',
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
      ),
    appId: config.bot.appId,
  });
  const smsAdapter = new TwilioSmsAdapter(textSender, log);
  smsAdapter.onTurnError = turnErrorHandler(log, random);
  if (config.helpDesk.channel || config.helpDesk.webhookUrl) {
    const sweep = () => {
      helpDesk.repostStale().catch((err) => log.error({ err }, 'could not repost unclaimed tickets'));
      helpDesk.retireSpentPasses().catch((err) => log.error({ err }, "could not take spent passes out of agents' chats"));
    };
    setInterval(sweep, 60_000).unref();
  }

  const calls = new CallResults({ state, service, log, wake: (reference) => reach(reference, (context) => bot.run(context)) });
  const server = createServer({ adapter, bot, log, metering });
  registerVoiceRoutes(server, {
    calls,
    log,
    publicBaseUrl: config.publicBaseUrl,
    twilioAuthToken: config.twilio?.authToken,
    devAnswerRoute: !config.twilio && !config.bot.appId,
  });
  registerSmsRoutes(server, {
    adapter: smsAdapter,
    bot,
    log,
    publicBaseUrl: config.publicBaseUrl,
    twilioAuthToken: config.twilio?.authToken,
    devRoute: !config.twilio && !config.bot.appId,
  });
  if (config.adminApiKey) registerAdminRoutes(server, { apiKey: config.adminApiKey, audit, log });
  if (qrLinks) registerQrRoute(server, qrLinks);
  await new Promise<void>((resolve) => server.listen(config.port, '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  log.info({ url, dataDir: config.dataDir, store: config.store }, 'security info assistant listening');

  return {
    url,
    log,
    helpDesk,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Kept-alive sockets would hold the port, and a client could send into one being torn down.
      server.server.closeAllConnections();
      await closed;
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  let app: App;
  try {
    app = await startApp(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
