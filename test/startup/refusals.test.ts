import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { policyEnabling, runToExit } from './support';

const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

describe('a start that would not be safe is refused', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-refusal-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const refusalOf = async (env: Record<string, string>) => {
    const { code, stderr } = await runToExit({ DATA_DIR: path.join(dataDir, 'data'), ...env });
    return { code, lines: stderr.trim().split('\n') };
  };

  it('in production with nothing set: exit code 1 and one line naming every missing setting, and nothing is written', async () => {
    const { code, lines } = await refusalOf({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    for (const name of [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'ENCRYPTION_KEYS',
      'ALLOWED_TENANT_ID',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM_NUMBER',
      'SMTP_URL',
      'MAIL_FROM',
    ]) {
      expect(lines[0]).toContain(name);
    }
    // Instead of a sender, the operator may switch the method off.
    expect(lines[0]).toMatch(/disable those methods in the policy/);
    // No development key, no dev outbox, no database.
    expect(fs.existsSync(path.join(dataDir, 'data'))).toBe(false);
  });

  it('in production with the managed identity, keys and a policy with email but no phone: exit code 1, naming SMTP only', async () => {
    const policyFile = path.join(dataDir, 'policy.yaml');
    fs.writeFileSync(policyFile, policyEnabling(['authenticatorApp', 'securityQuestions', 'email']));
    const { code, lines } = await refusalOf({
      NODE_ENV: 'production',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-00000000000a',
      ALLOWED_TENANT_ID: '00000000-0000-0000-0000-00000000000a',
      ENCRYPTION_KEYS: KEYS,
      POLICY_FILE: policyFile,
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      'Configuration error: missing SMTP_URL, MAIL_FROM (the policy enables email, whose codes go by SMTP: set them, or disable those methods in the policy)',
    ]);
  });

  it('with STORE=cosmos and no ENCRYPTION_KEYS (each instance would make its own dev key): exit code 1, one line', async () => {
    const { code, lines } = await refusalOf({ STORE: 'cosmos', COSMOS_ENDPOINT: 'https://127.0.0.1:8081/' });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: missing ENCRYPTION_KEYS \(with STORE=cosmos every instance must open/);
    expect(fs.existsSync(path.join(dataDir, 'data'))).toBe(false);
  });

  it('with an app id but neither its password nor the managed identity: exit code 1, one line', async () => {
    const { code, lines } = await refusalOf({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001' });
    expect(code).toBe(1);
    expect(lines).toEqual([
      "Configuration error: missing MicrosoftAppPassword (the app's secret, or set MicrosoftAppType=UserAssignedMSI)",
    ]);
  });
});
