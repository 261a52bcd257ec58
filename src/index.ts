import type { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CloudAdapter } from 'botbuilder';
import { CallResults } from './bot/callResults';
import { EnrollmentBot } from './bot/enrollmentBot';
import { replayed } from './bot/replayedPorts';
import { SmsGate } from './bot/smsGate';
import { TurnGate } from './bot/turnGate';
import { Campaigns } from './campaigns/campaigns';
import type { TeamsSender } from './campaigns/ports';
import type { SendRates } from './campaigns/queue';
import { EntraSignIn } from './channels/admin';
import { Lifecycle } from './channels/lifecycle';
import { teamsSender } from './channels/proactiveTeams';
import { createServer, type ServerDeps } from './channels/server';
import { type Config, HELPDESK_DEFAULTS, LOOPBACK, loadConfig, TURN_DEFAULTS } from './config';
import { sharedClassifier } from './conversation/nlu';
import { OutgoingMessages } from './delivery/messages';
import { honourOptOuts, honourOptOutsInNotices } from './delivery/optOuts';
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
import { checkStartable } from './startRequirements';
import { botAuthentication, encryptionKeys, Owned, openAdapters, openSenders, openStore } from './startup';
import { Directory, loadDirectory, SAMPLE_DIRECTORY } from './state/directory';
import { PersonState } from './state/personState';
import { Aliases } from './storage/aliases';
import { StoreAuditLog } from './storage/auditStore';
import { StoreCounters } from './storage/counters';
import { StoreMetering } from './storage/metering';
import type { DocumentStore } from './storage/store';
import { defaultPolicy, type Policy } from './verification/policy';
import { type Clock, type CodeSender, cryptoRandom, type Random, systemClock } from './verification/ports';
import { SecretBox } from './verification/secretBox';
import { VerificationService } from './verification/service';
import { viaChannel } from './verification/via';

export interface App {
  readonly url: string;
  /** Where the server listens: 127.0.0.1 in local mode. */
  readonly address: AddressInfo;
  readonly log: Logger;
  /** Reposts the tickets nobody claimed, and takes spent passes out of agents' chats (a timer calls both every minute; tests call them with a frozen clock). */
  readonly helpDesk: Pick<HelpDesk, 'repostStale' | 'retireSpentPasses'>;
  /** Registration campaigns: one pass of the send queue (a timer calls it every few seconds; tests call it with a frozen clock). */
  readonly campaigns: Pick<Campaigns, 'work'>;
  /** Stops everything the app started: its timers, its server, its store. */
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
  /** How often the campaign send queue is worked; 0: never by itself (tests call `campaigns.work()` with their clock). */
  readonly campaignQueueMs?: number;
}

/** What the services are made of. */
export interface ServiceParts {
  readonly store: DocumentStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly orgName: string;
  readonly policy?: Policy;
  readonly sender: CodeSender;
}

export interface BotParts extends ServiceParts {
  readonly log: Logger;
  readonly directory?: Directory;
  readonly allowedTenantId?: string;
  /** Outside local mode, the channels served (absent: every channel). */
  readonly allowedChannels?: ReadonlySet<string>;
  /** Local unauthenticated mode: take names the client sends as UPNs (for the directory's roles). */
  readonly trustClientNames?: boolean;
  /** How QR codes reach the card (default: a PNG data URI inside it). */
  readonly qrImage?: (otpauthUri: string) => Promise<string>;
  /** QR_IMAGE_MODE=url: the links behind `qrImage`, revoked when their cards leave the chat. */
  readonly qrLinks?: Pick<QrLinks, 'handleOf' | 'revoke'>;
  /** The help desk: how people reach it, its Teams channel, its agents, its webhook. */
  readonly helpDesk?: Config['helpDesk'];
  /** Runs a proactive turn in a conversation (agents' messages, ticket posts); absent in dialog tests. */
  readonly reach?: Reach;
  /** Opens a one-to-one chat with an agent (for a Temporary Access Pass); absent in dialog tests. */
  readonly reachPrivately?: ReachPrivately;
  /** The bot's Microsoft App id, as the sender of help-desk channel posts. */
  readonly appId?: string;
  /** Turns at once on this instance, and how long others wait (default: the settings' defaults). */
  readonly turns?: Config['turns'];
  /** Registration campaigns: proactive Teams chats (absent: nobody is reached by Teams) and send rates. */
  readonly campaigns?: { readonly teams?: TeamsSender; readonly rates: SendRates };
}

/** Campaign send rates when none are configured (config.ts has the settings' defaults). */
const CAMPAIGN_RATES: SendRates = { teams: 10, sms: 1 };
/** How often the campaign send queue is worked. */
const CAMPAIGN_TICK_MS = 5_000;

/** How long a stop waits for the requests in flight (App Service gives a stopping instance 30 s). */
const DRAIN_MS = 10_000;

const NO_HELP_DESK: Config['helpDesk'] = {
  contact: HELPDESK_DEFAULTS.contact,
  agentIds: [],
  repostMinutes: HELPDESK_DEFAULTS.repostMinutes,
};

/** The services every channel shares, over a store. */
export function composeServices(parts: ServiceParts) {
  const { store, clock, random, secretBox } = parts;
  const policy = parts.policy ?? defaultPolicy;
  const audit = new StoreAuditLog(store, random);
  const counters = new StoreCounters(store);
  const aliases = new Aliases(store, secretBox);
  // A STOP stops the texts we send on our own (SMS replies sent later, agents' messages, change notices), never a code the person asks for (delivery/optOuts.ts).
  const sender = honourOptOuts(parts.sender, aliases);
  const messenger = honourOptOutsInNotices(new OutgoingMessages(parts.sender, parts.orgName), aliases);
  // Within a turn, what the core does that cannot be undone happens once, however often the turn runs (bot/turnReplay.ts).
  const ports = replayed({ clock, random, counters, messenger, audit });
  const service = new VerificationService({ ...ports, secretBox, policy, issuer: parts.orgName });
  const state = new PersonState(store, aliases);
  return { policy, audit, counters, aliases, sender, service, state };
}

/** Dialogs → bot over the services. The HTTP server and the dialog tests both start here. */
export function composeBot(parts: BotParts, services = composeServices(parts)) {
  const { clock, random, log, orgName } = parts;
  const { policy, audit, counters, aliases, service, state } = services;
  const helpDeskConfig = parts.helpDesk ?? NO_HELP_DESK;
  const directory = parts.directory ?? new Directory([]);
  const turns = parts.turns ?? TURN_DEFAULTS;
  const presenter = new ChannelPresenter(log);
  const cards = new CardRenderer();
  const tickets = new TicketBook(parts.store, clock, random);
  const helpDesk = new HelpDesk({
    tickets,
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
    via: (context) => viaChannel(context.activity.channelId, !!parts.trustClientNames),
    qrImageHandle: (image) => parts.qrLinks?.handleOf(image),
    revokeQrImage: async (handle) => parts.qrLinks?.revoke(handle),
    helpDesk: helpDeskConfig.contact,
    note: (context, from, text) => state.note(context, { at: clock.now(), from, text }),
    escalate: (context, reason) => helpDesk.escalate(context, reason),
  });
  const campaigns = new Campaigns({
    store: parts.store,
    aliases,
    directory,
    policy,
    cards,
    clock,
    random,
    log,
    audit,
    orgName,
    rates: parts.campaigns?.rates ?? CAMPAIGN_RATES,
    teams: parts.campaigns?.teams,
    sendSms: (to, body) => services.sender.sendSms(to, body),
    defaultTenantId: parts.allowedTenantId,
    tickets: async () => {
      const recent = await tickets.recent();
      return { open: recent.filter((t) => t.state === 'open').length, claimed: recent.filter((t) => t.state === 'claimed').length };
    },
  });
  const bot = new EnrollmentBot({
    state,
    dialogs,
    log,
    orgName,
    roleOf: (upn, upnVerified) => (upnVerified ? directory.find(upn)?.role : undefined) ?? policy.defaultRole,
    trustClientNames: parts.trustClientNames,
    allowedTenantId: parts.allowedTenantId,
    allowedChannels: parts.allowedChannels,
    personOfUpn: (upn) => aliases.personOfUpn(upn),
    sms: new SmsGate({ aliases, directory, counters, secretBox: parts.secretBox, clock, log, orgName, helpDesk: helpDeskConfig.contact }),
    helpDesk,
    isLocked: (profile) => !!service.lockStatus(profile),
    clock,
    gate: new TurnGate(turns.atOnce, turns.queueSeconds * 1000),
    campaigns,
  });
  return { ...services, bot, helpDesk, campaigns };
}

/**
 * The composition root: config → stores → services → channels' adapters →
 * dialogs and bot → routes, each step using only what is above it. What it
 * starts is owned, and `close()` stops it; a start that fails half-way stops
 * what it had started. Tests call it with their own config, clock and logger.
 */
export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;

  // Config: the files, then whether a start is safe, before anything is opened or written.
  const policy = config.policyFile ? loadPolicyFile(config.policyFile) : defaultPolicy;
  checkStartable(config, new Set(Object.values(policy.roles).flatMap((role) => role.enabledMethods)));
  const directory = loadDirectory(config.directoryFile ?? SAMPLE_DIRECTORY, new Set(Object.keys(policy.roles)));

  const owned = new Owned();
  try {
    // Stores.
    const keys = encryptionKeys(config, log);
    const secretBox = new SecretBox(keys, random);
    const metering = overrides.metering ?? new StoreMetering();
    const store = await openStore(config, clock, random, metering, owned, overrides.cosmosAgent);
    const qrLinks = config.qrImageMode === 'url' ? new QrLinks(store, secretBox, random, clock, config.publicBaseUrl) : undefined;

    // Services.
    const { sender, outbox } = openSenders(config, clock, log);
    const services = composeServices({ store, clock, random, secretBox, orgName: config.orgName, policy, sender });

    // Channels' adapters, and how the bot reaches a conversation by itself.
    const { adapter, smsAdapter, reach, reachPrivately } = openAdapters(config, services.sender, log, random);

    // Campaigns' proactive Teams chats: an adapter whose clients leave each 429 and its Retry-After to the send queue.
    const campaignTeams = config.campaigns.teamsServiceUrl
      ? teamsSender({
          adapter: new CloudAdapter(botAuthentication(config, undefined, false)),
          appId: config.bot.appId ?? '',
          serviceUrl: config.campaigns.teamsServiceUrl,
          log,
          now: () => clock.now(),
        })
      : undefined;

    // Dialogs and the bot.
    const { bot, helpDesk, audit, state, service, campaigns } = composeBot(
      {
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
        allowedChannels: config.allowedChannels,
        trustClientNames: config.localMode,
        qrImage: qrLinks ? (uri) => qrLinks.create(uri) : undefined,
        qrLinks,
        helpDesk: config.helpDesk,
        reach,
        reachPrivately,
        appId: config.bot.appId,
        turns: config.turns,
        campaigns: {
          teams: campaignTeams,
          rates: { teams: config.campaigns.teamsPerSecond, sms: config.campaigns.smsPerSecond },
        },
      },
      services,
    );
    // One pass at a time on this instance (other instances share the work through the store's claims); a stop waits for it.
    let pass: Promise<unknown> | undefined;
    const queueMs = overrides.campaignQueueMs ?? CAMPAIGN_TICK_MS;
    if (queueMs > 0) {
      owned.every(queueMs, () => {
        pass ??= campaigns
          .work()
          .catch((err) => log.error({ err }, 'could not work the campaign send queue'))
          .finally(() => {
            pass = undefined;
          });
      });
    }
    owned.add(() => pass);
    if (config.helpDesk.channel || config.helpDesk.webhookUrl) {
      owned.every(60_000, () => {
        helpDesk.repostStale().catch((err) => log.error({ err }, 'could not repost unclaimed tickets'));
        helpDesk.retireSpentPasses().catch((err) => log.error({ err }, "could not take spent passes out of agents' chats"));
      });
    }
    const calls = new CallResults({ state, service, log, clock, wake: (reference) => reach(reference, (context) => bot.run(context)) });

    // Routes.
    // Ready: the store answers (a read of a document that never exists). The keys are loaded, or the bot would not have started.
    const lifecycle = new Lifecycle(log, async () => (await store.get('counters', 'readyz')) === undefined);
    const server = createServer({
      lifecycle,
      adapter,
      bot,
      log,
      metering,
      smsAdapter,
      calls,
      publicBaseUrl: config.publicBaseUrl,
      twilioAuthToken: config.twilio?.authToken,
      localMode: config.localMode,
      admin: adminDeps(config, keys[0]!.key, audit, clock, campaigns),
      qrLinks,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    owned.add(async () => {
      // Turns in flight finish first (10 s at most); new ones are sent elsewhere.
      await lifecycle.drain(DRAIN_MS);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Kept-alive sockets would hold the port, and a client could send into one being torn down.
      server.server.closeAllConnections();
      await closed;
    });
    const address = server.address() as AddressInfo;
    const url = `http://${LOOPBACK}:${address.port}`;
    if (config.localMode) {
      log.warn(
        { url, outbox: outbox?.file, twilio: !!config.twilio, smtp: !!config.smtp },
        `Local mode (no MicrosoftAppId): listening on ${LOOPBACK} only, without authentication; the dev routes are on, and texts, calls and emails without Twilio or SMTP go to the dev outbox file`,
      );
    }
    log.info(
      { host: address.address, port: address.port, dataDir: config.dataDir, store: config.store },
      'security info assistant listening',
    );
    return { url, address, log, helpDesk, campaigns, close: () => owned.closeAll() };
  } catch (err) {
    await owned.closeAll();
    throw err;
  }
}

/** The dashboard's bundle, built by `npm run build` (scripts/buildAdmin.ts): the same folder from src/ (tsx, tests) and dist/. */
const ADMIN_ASSETS = path.join(__dirname, '..', 'dist', 'web', 'admin');

/** The admin routes and dashboard (docs/admin.md), when a key or Entra ID sign-in is set. */
function adminDeps(config: Config, rootKey: Buffer, audit: StoreAuditLog, clock: Clock, campaigns: Campaigns): ServerDeps['admin'] {
  const signIn = config.adminSignIn;
  if (!config.adminApiKey && !signIn) return undefined;
  const loopback = (url: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
  return {
    apiKey: config.adminApiKey,
    // A provider on http:// only in local mode, on this machine (config refuses it elsewhere).
    entra: signIn && new EntraSignIn({ ...signIn, allowInsecure: config.localMode && loopback(signIn.issuer) }),
    keyLogin: config.localMode,
    rootKey,
    secureCookies: !loopback(config.publicBaseUrl),
    assetsDir: ADMIN_ASSETS,
    audit,
    clock,
    campaigns,
  };
}

async function main(): Promise<void> {
  let app: App;
  try {
    app = await startApp(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      // One line, for a deployment log.
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  // The language understanding trains once per process (a second or two): now, not on someone's first sentence.
  void sharedClassifier().catch((err) => app.log.error({ err }, 'could not train the language understanding'));
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping: finishing the turns in flight, then closing the store');
    await app.close();
    app.log.info('stopped');
    // pino writes asynchronously: what is buffered goes out before the process ends.
    app.log.flush(() => process.exit(0));
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
