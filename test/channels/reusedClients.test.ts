import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ClaimsIdentity } from 'botframework-connector';
import { ReusedClientsAuthentication } from '../../src/channels/reusedClients';

/** Local mode (no app id): requests are not signed, as with the Emulator or the Playground. */
const local = () => new ReusedClientsAuthentication(new ConfigurationBotFrameworkAuthentication({}));

const activity = (serviceUrl: string) =>
  ({ type: 'message', channelId: 'msteams', serviceUrl, from: { id: 'u' }, conversation: { id: 'c' } }) as Activity;

describe('ReusedClientsAuthentication', () => {
  it('gives every turn to the same service URL the same connector client, and another URL its own', async () => {
    const auth = local();
    const first = await auth.authenticateRequest(activity('http://127.0.0.1:1/'), '');
    const second = await auth.authenticateRequest(activity('http://127.0.0.1:1/'), '');
    const clientA = await first.connectorFactory!.create('http://127.0.0.1:1/', first.audience);
    expect(await second.connectorFactory!.create('http://127.0.0.1:1/', second.audience)).toBe(clientA);
    const clientB = await second.connectorFactory!.create('http://127.0.0.1:2/', second.audience);
    expect(clientB).not.toBe(clientA);
    // Proactive turns (createConnectorFactory) share them too.
    expect(await auth.createConnectorFactory(first.claimsIdentity).create('http://127.0.0.1:1/', first.audience)).toBe(clientA);
  });

  it('keeps clients apart for different bot identities', async () => {
    const auth = local();
    const asBot = (appId: string) => new ClaimsIdentity([{ type: 'aud', value: appId }], true);
    const a = await auth.createConnectorFactory(asBot('bot-a')).create('http://127.0.0.1:1/');
    expect(await auth.createConnectorFactory(asBot('bot-a')).create('http://127.0.0.1:1/')).toBe(a);
    expect(await auth.createConnectorFactory(asBot('bot-b')).create('http://127.0.0.1:1/')).not.toBe(a);
  });

  it('still refuses what the wrapped authentication refuses', async () => {
    const auth = new ReusedClientsAuthentication(
      new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'x' }),
    );
    // No token at all: refused before any key would be fetched (tests never leave this machine).
    await expect(auth.authenticateRequest(activity('http://127.0.0.1:1/'), '')).rejects.toThrow(/Unauthorized/);
  });

  it('keeps one user-token client per bot identity', async () => {
    const auth = local();
    const anonymous = new ClaimsIdentity([], true);
    expect(await auth.createUserTokenClient(anonymous)).toBe(await auth.createUserTokenClient(anonymous));
  });
});
