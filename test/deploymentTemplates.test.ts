import fs from 'node:fs';
import path from 'node:path';
import { settings } from '../src/config';
import { COLLECTIONS } from '../src/storage/store';

const dir = path.join(__dirname, '..', 'deploymentTemplates');
const templates = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('.parameters.'));

interface Template {
  parameters?: Record<string, { type: string; defaultValue?: unknown }>;
  variables?: Record<string, unknown>;
  resources: Array<Record<string, unknown>>;
}

function strings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const item of node) strings(item, out);
  else if (node && typeof node === 'object') for (const value of Object.values(node)) strings(value, out);
  return out;
}

describe.each(templates)('deployment template %s', (file) => {
  const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Template;
  const appSettings = () => {
    const site = template.resources.find((r) => r.type === 'Microsoft.Web/sites');
    if (!site) throw new Error('the template has no web app');
    return (site.properties as { siteConfig: { appSettings: Array<{ name: string; value: string }> } }).siteConfig.appSettings;
  };
  const expressions = strings(template).filter((s) => s.startsWith('['));
  const referenced = (kind: 'parameters' | 'variables') =>
    new Set(expressions.flatMap((e) => [...e.matchAll(new RegExp(`${kind}\\('([^']+)'\\)`, 'g'))].map((m) => m[1]!)));

  it('declares every parameter and variable it references, and references every one it declares', () => {
    const parameters = Object.keys(template.parameters ?? {});
    const variables = Object.keys(template.variables ?? {});
    expect([...referenced('parameters')].filter((p) => !parameters.includes(p))).toEqual([]);
    expect([...referenced('variables')].filter((v) => !variables.includes(v))).toEqual([]);
    expect(parameters.filter((p) => !referenced('parameters').has(p))).toEqual([]);
    expect(variables.filter((v) => !referenced('variables').has(v))).toEqual([]);
  });

  it('gives no secure parameter a default value, and keeps every secret out of plain app settings', () => {
    for (const [name, parameter] of Object.entries(template.parameters ?? {})) {
      if (/^secure/i.test(parameter.type)) expect(parameter.defaultValue).toBeUndefined();
      else expect(name).not.toMatch(/password|token|secret|key$/i);
    }
    for (const secret of [
      'MicrosoftAppPassword',
      'ENCRYPTION_KEYS',
      'TWILIO_AUTH_TOKEN',
      'SMTP_URL',
      'ADMIN_API_KEY',
      'ADMIN_OIDC_CLIENT_SECRET',
    ]) {
      const setting = appSettings().find((s) => s.name === secret);
      expect(setting?.value).toMatch(/@Microsoft\.KeyVault\(SecretUri=/);
    }
  });

  it('creates a Cosmos container for every collection of the store', () => {
    expect(template.variables?.containers).toEqual([...COLLECTIONS]);
  });

  it('runs the bot in production, so it refuses to start without its credentials, keys and senders', () => {
    expect(appSettings()).toContainEqual({ name: 'NODE_ENV', value: 'production' });
  });

  it('sets only settings the bot knows', () => {
    const names = appSettings().map((s) => s.name);
    // NPM_CONFIG_INCLUDE: with NODE_ENV=production npm would leave out the compiler the build on the App Service needs.
    const platform = ['SCM_DO_BUILD_DURING_DEPLOYMENT', 'NPM_CONFIG_INCLUDE', 'APPLICATIONINSIGHTS_CONNECTION_STRING'];
    expect(names.filter((n) => !platform.includes(n) && !(n in settings))).toEqual([]);
  });

  it('has a parameter file of declared parameters that holds no secret', () => {
    const parametersFile = path.join(dir, file.replace(/\.json$/, '.parameters.json'));
    const values = (JSON.parse(fs.readFileSync(parametersFile, 'utf8')) as { parameters: Record<string, unknown> }).parameters;
    for (const name of Object.keys(values)) {
      expect(template.parameters).toHaveProperty(name);
      expect(template.parameters?.[name]?.type).not.toMatch(/^secure/i);
    }
  });
});
