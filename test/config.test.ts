import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, settings } from '../src/config';
import { ConfigError } from '../src/kit/errors';

describe('configuration', () => {
  it('runs with no settings at all, on the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
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
  ])('a bad %s (%s) stops the start with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  it('requires the app password when an app id is set', () => {
    expect(() => loadConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001' })).toThrow(/^MicrosoftAppPassword: /);
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
