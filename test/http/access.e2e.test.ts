import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { type App, startApp } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import { cardOf, saidIn } from '../support/cards';
import { ConnectorStub } from '../support/connectorStub';

describe('who may talk to the bot', () => {
  let connector: ConnectorStub;
  let dataDir: string;
  const apps: App[] = [];

  beforeAll(async () => {
    connector = await new ConnectorStub().start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-access-'));
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    const app = await startApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, ...env }), { log: createLogger('silent') });
    apps.push(app);
    return app;
  };
  const message = (tenantId: string) => ({
    type: 'message',
    text: 'hi',
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: `29:${tenantId}`, name: 'Someone', aadObjectId: `aad-${tenantId}` },
    recipient: { id: '28:bot', name: 'Security info' },
    conversation: { id: `a:${tenantId}`, conversationType: 'personal', tenantId },
  });
  const post = (app: App, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('with ALLOWED_TENANT_ID set, people of another tenant are told no, and people of the organisation are served', async () => {
    const app = await start({ ALLOWED_TENANT_ID: 'contoso-tenant' });
    const before = connector.received.length;
    expect((await post(app, message('fabrikam-tenant'))).status).toBe(200);
    const replies = connector.received.slice(before);
    expect(saidIn(replies)).toEqual(['This assistant is only available to people of Contoso.']);

    expect((await post(app, message('contoso-tenant'))).status).toBe(200);
    expect(cardOf(connector.received.at(-1))).toBeDefined();
  });

  it('with ALLOWED_TENANT_ID set, another tenant named in channelData is told no too, on any channel', async () => {
    const app = await start({ ALLOWED_TENANT_ID: 'contoso-tenant' });
    const before = connector.received.length;
    const forged = { channelData: { tenant: { id: 'fabrikam-tenant' } } };
    expect((await post(app, { ...message('contoso-tenant'), ...forged })).status).toBe(200);
    expect((await post(app, { ...message('contoso-tenant'), channelId: 'webchat', ...forged })).status).toBe(200);
    expect(saidIn(connector.received.slice(before))).toEqual([
      'This assistant is only available to people of Contoso.',
      'This assistant is only available to people of Contoso.',
    ]);
  });

  it('in Teams, a group chat or a team channel is told to use a personal chat, and gets no card', async () => {
    const app = await start({});
    const before = connector.received.length;
    for (const conversationType of ['groupChat', 'channel']) {
      const activity = {
        ...message('contoso-tenant'),
        conversation: { id: `19:${conversationType}`, conversationType, tenantId: 'contoso-tenant' },
      };
      expect((await post(app, activity)).status).toBe(200);
    }
    const replies = connector.received.slice(before);
    expect(saidIn(replies)).toEqual([
      'I only help with security info in a personal chat. Open a chat with me to continue.',
      'I only help with security info in a personal chat. Open a chat with me to continue.',
    ]);
    expect(replies.some((r) => r.attachments?.length)).toBe(false);
  });

  it('with MicrosoftAppId set, a request without a valid Bot Framework token is refused, and there is no dev call route', async () => {
    const app = await start({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' });
    const before = connector.received.length;
    expect((await post(app, message('contoso-tenant'))).status).toBe(401);
    expect((await post(app, message('contoso-tenant'), { authorization: 'Bearer forged.token.value' })).status).toBe(401);
    expect(connector.received.length).toBe(before);
    expect((await fetch(`${app.url}/api/dev/calls/x.y/answer`, { method: 'POST' })).status).toBe(404);
  });
});
