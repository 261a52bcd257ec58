import type { Config } from './config';
import { ConfigError } from './kit/errors';

/**
 * What a safe start needs, beyond each setting being well formed (config.ts):
 * the settings that must come together in production, with Cosmos DB, or
 * for the methods the policy enables.
 */

/** A setting (or settings) a start needs, and why. */
interface Requirement {
  readonly settings: readonly string[];
  readonly why: string;
}

/** Every setting missing for a safe start, named on one line (a refusal is read in a deployment log). */
export class MissingSettingsError extends ConfigError {
  constructor(readonly missing: readonly Requirement[]) {
    super(missing[0]!.settings[0]!, 'is missing');
    // A ConfigError names one variable; this one names them all.
    this.message = `missing ${missing.map((m) => `${m.settings.join(', ')} (${m.why})`).join('; ')}`;
  }
}

/** Methods whose codes go by Twilio (texts and calls), and by SMTP. */
const TWILIO_METHODS = ['phone', 'alternatePhone', 'officePhone'];
const SMTP_METHODS = ['email'];

/**
 * Refuses a start that would not be safe, naming every missing setting at
 * once: production without the bot's credentials, its own keys, or a sender
 * for a method the policy enables (a code must never be written to a file
 * there); the app's password with an app id; and Cosmos DB without shared
 * keys (a dev key is per instance, so one instance could not open what
 * another sealed).
 */
export function checkStartable(config: Config, enabledMethods: ReadonlySet<string>): void {
  const missing: Requirement[] = [];
  const { appId, appPassword, appType } = config.bot;
  if (config.production && !appId) {
    missing.push({ settings: ['MicrosoftAppId'], why: 'production serves authenticated Bot Framework requests only' });
  }
  if ((appId || config.production) && !appPassword && appType !== 'UserAssignedMSI') {
    missing.push({ settings: ['MicrosoftAppPassword'], why: "the app's secret, or set MicrosoftAppType=UserAssignedMSI" });
  }
  if (appId && (appType === 'SingleTenant' || appType === 'UserAssignedMSI') && !config.bot.tenantId) {
    missing.push({ settings: ['MicrosoftAppTenantId'], why: `the tenant of a ${appType} bot registration` });
  }
  if (config.encryptionKeys.length === 0 && (config.production || config.store === 'cosmos')) {
    missing.push({
      settings: ['ENCRYPTION_KEYS'],
      why: config.production
        ? 'production never makes a development key'
        : 'with STORE=cosmos every instance must open the secrets another sealed',
    });
  }
  if (config.production && !config.allowedTenantId) {
    missing.push({ settings: ['ALLOWED_TENANT_ID'], why: "production serves one organisation's people only" });
  }
  if (config.production) {
    const needSender = (settings: string[], methods: string[], by: string) => {
      const enabled = methods.filter((m) => enabledMethods.has(m));
      if (enabled.length === 0) return;
      missing.push({
        settings,
        why: `the policy enables ${enabled.join(', ')}, whose codes go by ${by}: set them, or disable those methods in the policy`,
      });
    };
    if (!config.twilio) needSender(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM_NUMBER'], TWILIO_METHODS, 'Twilio');
    if (!config.smtp) needSender(['SMTP_URL', 'MAIL_FROM'], SMTP_METHODS, 'SMTP');
  }
  if (missing.length > 0) throw new MissingSettingsError(missing);
}
