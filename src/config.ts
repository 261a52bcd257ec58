import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './kit/errors';

/**
 * Every setting of the bot, in one table: the environment variable, its schema
 * (with the default), and what it means. The README's settings table and
 * `.env.example` are checked against this list by a test.
 *
 * Only this module reads `process.env`; `src/index.ts` passes the result on.
 */
/** An optional setting: empty means unset; anything else must pass `schema`. */
function optionalOf<T extends z.ZodType<unknown, string>>(schema: T) {
  return z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(schema.optional())
    .optional();
}
const optional = optionalOf(z.string());
const url = optionalOf(z.url());

/** The help desk when nothing is configured (also what the dialog tests run with). */
export const HELPDESK_DEFAULTS = { contact: 'your IT help desk', repostMinutes: 15 } as const;

/** Turns at once per instance, and how long a turn waits for a place (docs/performance.md, "Overload"). */
export const TURN_DEFAULTS = { atOnce: 32, queueSeconds: 10 } as const;

export const settings = {
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3978), doc: 'HTTP port (0 = any free port)' },
  PUBLIC_BASE_URL: {
    schema: url,
    doc: 'How Twilio and links reach this bot (webhook URLs are built from it and Twilio signatures are checked against it). Default `http://localhost:$PORT`',
  },
  DATA_DIR: { schema: z.string().trim().min(1).default('./data'), doc: 'SQLite file, dev outbox, dev encryption key' },
  NODE_ENV: {
    schema: optional,
    doc: '`production` refuses to start without MicrosoftAppId and its password (or `MicrosoftAppType=UserAssignedMSI`), ENCRYPTION_KEYS, and Twilio / SMTP for every method the policy enables that needs them',
  },
  MicrosoftAppId: {
    schema: optional,
    doc: 'Bot Framework app id; empty = local mode: unauthenticated, on 127.0.0.1 only, with the dev routes and the dev outbox (Emulator / Playground)',
  },
  MicrosoftAppPassword: {
    schema: optional,
    doc: 'Bot Framework app secret (MultiTenant / SingleTenant); required with MicrosoftAppId unless `MicrosoftAppType=UserAssignedMSI`',
  },
  MicrosoftAppType: {
    schema: optionalOf(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'])),
    doc: '`MultiTenant`, `SingleTenant` or `UserAssignedMSI`',
  },
  MicrosoftAppTenantId: { schema: optional, doc: 'Tenant of the bot registration (SingleTenant / UserAssignedMSI)' },
  ORG_NAME: { schema: z.string().trim().min(1).max(64).default('Contoso'), doc: 'Issuer in the otpauth URI and name on the cards' },
  ALLOWED_TENANT_ID: {
    schema: optional,
    doc: 'When set, activities naming another Entra tenant (conversation.tenantId, channelData.tenant.id), and Teams activities naming none, are refused',
  },
  ALLOWED_CHANNELS: {
    schema: optionalOf(
      z.string().regex(/^[\w-]{1,64}(\s*,\s*[\w-]{1,64})*$/, 'must be channel ids separated by commas, e.g. webchat,directline'),
    ),
    doc: 'Channels served besides `msteams` and `sms` when MicrosoftAppId is set (comma-separated channel ids, e.g. `webchat`); local mode serves every channel',
  },
  POLICY_FILE: {
    schema: optional,
    doc: 'Policy per role (YAML or JSON): enabled and required methods, limits, countries, domains. Default: the built-in policy',
  },
  ENCRYPTION_KEYS: {
    schema: optional,
    doc: 'Keys for secrets at rest: `kid:base64key[,kid:base64key...]`, 32-byte keys, the first one encrypts. Required with NODE_ENV=production and with STORE=cosmos; otherwise default: a dev key generated into `DATA_DIR` (with a warning)',
  },
  STORE: { schema: z.enum(['sqlite', 'cosmos']).default('sqlite'), doc: '`sqlite` (a file in DATA_DIR) or `cosmos`' },
  COSMOS_ENDPOINT: {
    schema: url,
    doc: 'Cosmos DB (NoSQL API) endpoint, e.g. https://contoso-bot.documents.azure.com:443/ (required with STORE=cosmos)',
  },
  COSMOS_KEY: { schema: optional, doc: 'Cosmos DB account key; empty = managed identity (DefaultAzureCredential)' },
  COSMOS_DATABASE: {
    schema: z.string().trim().min(1).max(255).default('security-info'),
    doc: 'Cosmos DB database (created with its containers when missing)',
  },
  TWILIO_ACCOUNT_SID: { schema: optional, doc: 'Twilio account SID; empty = dev outbox' },
  TWILIO_AUTH_TOKEN: { schema: optional, doc: 'Twilio auth token (also checks the webhook signatures)' },
  TWILIO_FROM_NUMBER: {
    schema: optionalOf(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +14255550100')),
    doc: 'Twilio number (E.164) that sends texts and places calls',
  },
  TWILIO_API_BASE_URL: { schema: url, doc: "Where Twilio REST calls go (a proxy or a local double); default Twilio's own" },
  SMTP_URL: { schema: optional, doc: 'SMTP server for email codes, e.g. smtps://user:pass@smtp.contoso.com; empty = dev outbox' },
  MAIL_FROM: { schema: optional, doc: 'Sender address of emails (required with SMTP_URL)' },
  DIRECTORY_FILE: {
    schema: optional,
    doc: 'Who belongs to the organisation (CSV or JSON): upn, displayName, role, phones. Default: directory.sample.json',
  },
  HELPDESK_CONTACT: {
    schema: z.string().trim().min(1).max(120).default(HELPDESK_DEFAULTS.contact),
    doc: 'How people reach the help desk by themselves (a phone number, an address): said to people the bot cannot help, e.g. an unknown number texting',
  },
  HELPDESK_CHANNEL_ID: {
    schema: optional,
    doc: "Teams channel (conversation id, `19:...@thread.tacv2`) where tickets are posted and agents answer in each ticket's thread",
  },
  HELPDESK_SERVICE_URL: {
    schema: url,
    doc: 'Service URL of that Teams channel, e.g. https://smba.trafficmanager.net/emea/ (required with HELPDESK_CHANNEL_ID)',
  },
  HELPDESK_AGENT_IDS: {
    schema: optional,
    doc: "Comma-separated Entra object ids of the agents allowed to act on tickets; everyone else's clicks are refused and logged",
  },
  HELPDESK_WEBHOOK_URL: {
    schema: url,
    doc: 'Where every ticket (and each change of its state) is also POSTed as JSON, for other help-desk tools',
  },
  HELPDESK_REPOST_MINUTES: {
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(HELPDESK_DEFAULTS.repostMinutes),
    doc: 'A ticket nobody claimed is posted again after this many minutes (and the person is told)',
  },
  ADMIN_API_KEY: {
    schema: optionalOf(z.string().min(24, 'must be at least 24 characters')),
    doc: 'Bearer key for the admin / audit HTTP routes; in local mode also the dashboard sign-in at /admin; empty = routes off',
  },
  // Admin dashboard sign-in (docs/admin.md).
  ADMIN_OIDC_ISSUER: {
    schema: url,
    doc: 'Entra ID (OpenID Connect) issuer for the dashboard at /admin, e.g. https://login.microsoftonline.com/<tenant id>/v2.0; empty = no Entra sign-in (outside local mode: no dashboard)',
  },
  ADMIN_OIDC_CLIENT_ID: {
    schema: optional,
    doc: 'Application (client) id of the dashboard app registration (required with ADMIN_OIDC_ISSUER)',
  },
  ADMIN_OIDC_CLIENT_SECRET: { schema: optional, doc: 'Client secret of that app registration (required with ADMIN_OIDC_ISSUER)' },
  ADMIN_OIDC_REDIRECT_URL: {
    schema: url,
    doc: 'Redirect URI registered for that app. Default `$PUBLIC_BASE_URL/admin/callback`',
  },
  ADMIN_ROLE: {
    schema: z.string().trim().min(1).max(120).default('SecurityInfo.Admin'),
    doc: 'App role (`roles` claim) that makes someone an admin of the dashboard',
  },
  ADMIN_GROUP: { schema: optional, doc: 'Object id of a group (`groups` claim) whose members are admins too; empty = by app role only' },
  TEAMS_SERVICE_URL: {
    schema: url,
    doc: "Bot Connector service URL for campaigns' proactive 1:1 Teams chats (e.g. `https://smba.trafficmanager.net/emea/`); empty = campaigns reach nobody by Teams",
  },
  CAMPAIGN_TEAMS_PER_SECOND: {
    schema: z.coerce.number().int().min(1).max(50).default(10),
    doc: "Campaign Teams messages per second, all instances together (under the connector's limits)",
  },
  CAMPAIGN_SMS_PER_SECOND: {
    schema: z.coerce.number().int().min(1).max(100).default(1),
    doc: 'Campaign texts per second, all instances together (Twilio: 1 for a long code, more for a toll-free or short code)',
  },
  QR_IMAGE_MODE: {
    schema: z.enum(['datauri', 'url']).default('datauri'),
    doc: '`datauri` (the QR PNG inside the card) or `url` (served by the bot at a single-use, 10-minute, unguessable URL)',
  },
  MAX_CONCURRENT_TURNS: {
    schema: z.coerce.number().int().min(1).max(1000).default(TURN_DEFAULTS.atOnce),
    doc: 'Turns run at once on one instance; more wait in line (a store asked for more than it can answer answers everyone too late)',
  },
  TURN_QUEUE_SECONDS: {
    schema: z.coerce.number().min(1).max(60).default(TURN_DEFAULTS.queueSeconds),
    doc: 'How long a turn waits in that line before the person is told the service is busy and to try again',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'pino log level',
  },
} as const;

type Settings = typeof settings;
type Raw = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

export interface EncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Where a bot without MicrosoftAppId listens: no one else may reach an unauthenticated bot. */
export const LOOPBACK = '127.0.0.1';

/** The channels a bot with MicrosoftAppId serves without ALLOWED_CHANNELS. */
const DEFAULT_CHANNELS = ['msteams', 'sms'] as const;

export interface Config {
  /**
   * No MicrosoftAppId: requests are not authenticated, so the bot listens on
   * loopback only and is the only mode with the dev routes and the dev outbox.
   */
  readonly localMode: boolean;
  /** NODE_ENV=production: `checkStartable` (startRequirements.ts) refuses to start without real credentials, keys and senders. */
  readonly production: boolean;
  /** The interface to listen on: loopback in local mode, every interface otherwise. */
  readonly host: string;
  readonly port: number;
  readonly publicBaseUrl: string;
  readonly dataDir: string;
  readonly bot: {
    readonly appId?: string;
    readonly appPassword?: string;
    readonly appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId?: string;
  };
  readonly orgName: string;
  readonly allowedTenantId?: string;
  /** The channels served; absent in local mode, which serves every channel (Emulator, Playground, Web Chat). */
  readonly allowedChannels?: ReadonlySet<string>;
  /** Empty when `ENCRYPTION_KEYS` is not set: the composition root then makes a dev key. */
  readonly encryptionKeys: readonly EncryptionKey[];
  readonly store: 'sqlite' | 'cosmos';
  readonly cosmos?: { readonly endpoint: string; readonly key?: string; readonly database: string };
  /** Absent: texts and calls go to the dev outbox. */
  readonly twilio?: {
    readonly accountSid: string;
    readonly authToken: string;
    readonly from: string;
    readonly apiBaseUrl?: string;
  };
  readonly qrImageMode: 'datauri' | 'url';
  readonly policyFile?: string;
  readonly directoryFile?: string;
  /** Absent: emails go to the dev outbox. */
  readonly smtp?: { readonly url: string; readonly from: string };
  readonly adminApiKey?: string;
  /** Entra ID sign-in to the dashboard; absent: outside local mode there is no dashboard. */
  readonly adminSignIn?: {
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly redirectUrl: string;
    readonly role: string;
    readonly group?: string;
  };
  /** Registration campaigns: where Teams chats are opened, and how fast messages go (docs/campaigns.md). */
  readonly campaigns: { readonly teamsServiceUrl?: string; readonly teamsPerSecond: number; readonly smsPerSecond: number };
  readonly helpDesk: {
    readonly contact: string;
    /** Absent: tickets are kept (and sent to the webhook) but posted to no channel. */
    readonly channel?: { readonly conversationId: string; readonly serviceUrl: string };
    readonly agentIds: readonly string[];
    readonly webhookUrl?: string;
    readonly repostMinutes: number;
  };
  /** At most `atOnce` turns at once per instance; others wait at most `queueSeconds`. */
  readonly turns: { readonly atOnce: number; readonly queueSeconds: number };
  readonly logLevel: Raw['LOG_LEVEL'];
}

/** Parses `kid:base64key,...`; each key must be 32 bytes (AES-256). */
function parseKeys(value: string | undefined): EncryptionKey[] {
  if (!value) return [];
  return value.split(',').map((entry, i) => {
    const [id, b64, extra] = entry.trim().split(':');
    if (!id || !b64 || extra !== undefined || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new ConfigError('ENCRYPTION_KEYS', `entry ${i + 1} must look like "kid:base64key"`);
    }
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) {
      throw new ConfigError('ENCRYPTION_KEYS', `key "${id}" must be 32 bytes of base64 (got ${key.length})`);
    }
    return { id, key };
  });
}

/** The entries of a comma-separated setting. */
function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * Reads and validates every setting. Throws a {@link ConfigError} naming the
 * first bad variable, so a bad value stops the start with a clear message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const [name, { schema }] of Object.entries(settings)) {
    const result = (schema as z.ZodType).safeParse(env[name] === '' ? undefined : env[name]);
    if (!result.success) {
      throw new ConfigError(name, result.error.issues.map((i) => i.message).join('; '));
    }
    raw[name] = result.data;
  }
  const s = raw as Raw;
  if (s.STORE === 'cosmos' && !s.COSMOS_ENDPOINT) throw new ConfigError('COSMOS_ENDPOINT', 'is required when STORE=cosmos');
  if (s.SMTP_URL && !s.MAIL_FROM) throw new ConfigError('MAIL_FROM', 'is required when SMTP_URL is set');
  if (s.HELPDESK_CHANNEL_ID && !s.HELPDESK_SERVICE_URL) {
    throw new ConfigError('HELPDESK_SERVICE_URL', 'is required when HELPDESK_CHANNEL_ID is set');
  }
  const twilioSet = [s.TWILIO_ACCOUNT_SID, s.TWILIO_AUTH_TOKEN, s.TWILIO_FROM_NUMBER];
  if (twilioSet.some(Boolean) && !twilioSet.every(Boolean)) {
    const missing = (['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM_NUMBER'] as const).find((name) => !s[name]);
    throw new ConfigError(missing!, 'is required when any Twilio setting is set');
  }
  const localMode = !s.MicrosoftAppId;
  const publicBaseUrl = (s.PUBLIC_BASE_URL ?? `http://localhost:${s.PORT}`).replace(/\/+$/, '');
  return {
    localMode,
    production: s.NODE_ENV === 'production',
    host: localMode ? LOOPBACK : '0.0.0.0',
    port: s.PORT,
    publicBaseUrl,
    dataDir: path.resolve(s.DATA_DIR),
    bot: {
      appId: s.MicrosoftAppId,
      appPassword: s.MicrosoftAppPassword,
      appType: s.MicrosoftAppType,
      tenantId: s.MicrosoftAppTenantId,
    },
    orgName: s.ORG_NAME,
    allowedTenantId: s.ALLOWED_TENANT_ID,
    allowedChannels: localMode ? undefined : new Set([...DEFAULT_CHANNELS, ...listOf(s.ALLOWED_CHANNELS).map((c) => c.toLowerCase())]),
    encryptionKeys: parseKeys(s.ENCRYPTION_KEYS),
    store: s.STORE,
    cosmos:
      s.STORE === 'cosmos' && s.COSMOS_ENDPOINT
        ? { endpoint: s.COSMOS_ENDPOINT, key: s.COSMOS_KEY, database: s.COSMOS_DATABASE }
        : undefined,
    twilio:
      s.TWILIO_ACCOUNT_SID && s.TWILIO_AUTH_TOKEN && s.TWILIO_FROM_NUMBER
        ? {
            accountSid: s.TWILIO_ACCOUNT_SID,
            authToken: s.TWILIO_AUTH_TOKEN,
            from: s.TWILIO_FROM_NUMBER,
            apiBaseUrl: s.TWILIO_API_BASE_URL,
          }
        : undefined,
    qrImageMode: s.QR_IMAGE_MODE,
    policyFile: s.POLICY_FILE,
    directoryFile: s.DIRECTORY_FILE,
    smtp: s.SMTP_URL && s.MAIL_FROM ? { url: s.SMTP_URL, from: s.MAIL_FROM } : undefined,
    adminApiKey: s.ADMIN_API_KEY,
    adminSignIn: adminSignIn(s, localMode, publicBaseUrl),
    campaigns: {
      teamsServiceUrl: s.TEAMS_SERVICE_URL?.replace(/\/+$/, ''),
      teamsPerSecond: s.CAMPAIGN_TEAMS_PER_SECOND,
      smsPerSecond: s.CAMPAIGN_SMS_PER_SECOND,
    },
    helpDesk: {
      contact: s.HELPDESK_CONTACT,
      channel:
        s.HELPDESK_CHANNEL_ID && s.HELPDESK_SERVICE_URL
          ? { conversationId: s.HELPDESK_CHANNEL_ID, serviceUrl: s.HELPDESK_SERVICE_URL }
          : undefined,
      agentIds: listOf(s.HELPDESK_AGENT_IDS),
      webhookUrl: s.HELPDESK_WEBHOOK_URL,
      repostMinutes: s.HELPDESK_REPOST_MINUTES,
    },
    turns: { atOnce: s.MAX_CONCURRENT_TURNS, queueSeconds: s.TURN_QUEUE_SECONDS },
    logLevel: s.LOG_LEVEL,
  };
}

/**
 * Entra ID sign-in, all or nothing: an issuer without its client is refused,
 * as is a provider on plain HTTP outside local mode (tokens would travel in clear).
 */
function adminSignIn(s: Raw, localMode: boolean, publicBaseUrl: string): Config['adminSignIn'] {
  const names = ['ADMIN_OIDC_ISSUER', 'ADMIN_OIDC_CLIENT_ID', 'ADMIN_OIDC_CLIENT_SECRET'] as const;
  if (!names.some((name) => s[name])) return undefined;
  const missing = names.find((name) => !s[name]);
  if (missing) throw new ConfigError(missing, 'is required when any ADMIN_OIDC_ISSUER / _CLIENT_ID / _CLIENT_SECRET is set');
  const redirectUrl = s.ADMIN_OIDC_REDIRECT_URL ?? `${publicBaseUrl}/admin/callback`;
  if (!localMode) {
    if (!s.ADMIN_OIDC_ISSUER!.startsWith('https://')) throw new ConfigError('ADMIN_OIDC_ISSUER', 'must be https:// outside local mode');
    if (!redirectUrl.startsWith('https://')) {
      throw new ConfigError(
        s.ADMIN_OIDC_REDIRECT_URL ? 'ADMIN_OIDC_REDIRECT_URL' : 'PUBLIC_BASE_URL',
        'must be https:// for admin sign-in outside local mode',
      );
    }
  }
  return {
    issuer: s.ADMIN_OIDC_ISSUER!,
    clientId: s.ADMIN_OIDC_CLIENT_ID!,
    clientSecret: s.ADMIN_OIDC_CLIENT_SECRET!,
    redirectUrl,
    role: s.ADMIN_ROLE,
    group: s.ADMIN_GROUP,
  };
}
