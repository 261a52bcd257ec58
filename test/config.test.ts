import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, settings } from '../src/config';
import { ConfigError } from '../src/kit/errors';
import { checkStartable } from '../src/startRequirements';

describe('configuration', () => {
  it('runs with no settings at all, on the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      localMode: true,
      production: false,
      host: '127.0.0.1',
      allowedChannels: undefined,
      port: 3978,
      publicBaseUrl: 'http://localhost:3978',
      dataDir: path.resolve('./data'),
      bot: { appId: undefined },
      orgName: 'Contoso',
      encryptionKeys: [],
      store: 'sqlite',
      qrImageMode: 'datauri',
      logLevel: 'info',
    });
  });

  it('treats empty values as unset (as .env.example leaves them)', () => {
    expect(loadConfig({ PORT: '', MicrosoftAppId: '', ORG_NAME: '' }).port).toBe(3978);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['STORE', 'postgres'],
    ['LOG_LEVEL', 'loud'],
    ['QR_IMAGE_MODE', 'ascii'],
    ['MicrosoftAppType', 'Personal'],
    ['ENCRYPTION_KEYS', 'no-colon'],
    ['ENCRYPTION_KEYS', `k1:${Buffer.alloc(16).toString('base64')}`],
    ['ALLOWED_CHANNELS', 'webchat; directline'],
  ])('a bad %s (%s) stops the start with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  describe('with MicrosoftAppId (not local mode)', () => {
    const app = { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'secret' };

    it('listens on every interface and serves Teams and SMS, plus the channels of ALLOWED_CHANNELS', () => {
      expect(loadConfig(app)).toMatchObject({ localMode: false, host: '0.0.0.0', allowedChannels: new Set(['msteams', 'sms']) });
      expect(loadConfig({ ...app, ALLOWED_CHANNELS: 'webchat, DirectLine' }).allowedChannels).toEqual(
        new Set(['msteams', 'sms', 'webchat', 'directline']),
      );
    });

    it('ALLOWED_CHANNELS changes nothing in local mode, which serves every channel on loopback only', () => {
      expect(loadConfig({ ALLOWED_CHANNELS: 'webchat' })).toMatchObject({ host: '127.0.0.1', allowedChannels: undefined });
    });

    it("reads an app id alone (the Teams package needs nothing else); the start asks for the app's password", () => {
      const config = loadConfig({ MicrosoftAppId: app.MicrosoftAppId });
      expect(config.bot.appId).toBe(app.MicrosoftAppId);
      expect(() => checkStartable(config, new Set())).toThrow(/^missing MicrosoftAppPassword /);
      const managed = { MicrosoftAppId: app.MicrosoftAppId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' };
      expect(() => checkStartable(loadConfig(managed), new Set())).not.toThrow();
    });
  });

  describe('NODE_ENV=production', () => {
    const ready = {
      NODE_ENV: 'production',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'secret',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      ALLOWED_TENANT_ID: '00000000-0000-0000-0000-00000000000a',
    };
    const twilio = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM_NUMBER: '+14255550100' };
    const smtp = { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'bot@contoso.com' };

    it('needs a sender only for the methods the policy enables', () => {
      const start = (env: Record<string, string>, methods: string[]) => () => checkStartable(loadConfig(env), new Set(methods));
      expect(start(ready, ['authenticatorApp', 'securityQuestions'])).not.toThrow();
      expect(start(ready, ['authenticatorApp', 'officePhone'])).toThrow(
        /^missing TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER \(the policy enables officePhone, whose codes go by Twilio/,
      );
      expect(start({ ...ready, ...twilio }, ['phone', 'email'])).toThrow(/^missing SMTP_URL, MAIL_FROM \(the policy enables email,/);
      expect(start({ ...ready, ...twilio, ...smtp }, ['phone', 'alternatePhone', 'officePhone', 'email'])).not.toThrow();
    });
  });

  it('reads encryption keys with their ids, the first one active', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');
    const config = loadConfig({ ENCRYPTION_KEYS: `2026-11:${a},2026-01:${b}` });
    expect(config.encryptionKeys.map((k) => k.id)).toEqual(['2026-11', '2026-01']);
  });

  it('derives the public URL from the port and drops a trailing slash', () => {
    expect(loadConfig({ PORT: '4000' }).publicBaseUrl).toBe('http://localhost:4000');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://bot.contoso.com/' }).publicBaseUrl).toBe('https://bot.contoso.com');
  });

  it('every setting is listed in the README and in .env.example', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const example = fs.readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8');
    for (const name of Object.keys(settings)) {
      expect(readme).toContain(`| \`${name}\``);
      expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    }
  });
});
