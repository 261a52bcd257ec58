import type { Activity } from 'botbuilder';
import { ClaimsIdentity } from 'botframework-connector';
import { CONNECTOR_TIMEOUTS } from '../../src/channels/reusedClients';
import { loadConfig } from '../../src/config';
import { botAuthentication } from '../../src/startup';
import { ConnectorStub } from '../support/connectorStub';
import { FaultProxy } from '../support/faultProxy';

const message = { type: 'message', text: 'hello', from: { id: '28:bot' }, conversation: { id: 'a:1' } } as Partial<Activity>;

describe("the bot's requests to the channel (a fault proxy in front of the connector stub)", () => {
  let connector: ConnectorStub;
  let proxy: FaultProxy;

  beforeEach(async () => {
    connector = await new ConnectorStub().start();
    proxy = await new FaultProxy({ target: connector.url }).start();
  });
  afterEach(async () => {
    await proxy.stop();
    await connector.stop();
  });

  /** The connector client the bot's turns use (local mode), with short waits. */
  const client = () =>
    botAuthentication(loadConfig({ PORT: '0' }), { requestMs: 300, totalMs: 2_000 })
      .createConnectorFactory(new ClaimsIdentity([], true))
      .create(`${proxy.url}/`);

  it.each([
    ['a message', (c: Awaited<ReturnType<typeof client>>) => c.conversations.sendToConversation('a:1', message)],
    [
      'a card replaced',
      (c: Awaited<ReturnType<typeof client>>) => c.conversations.updateActivity('a:1', 'act-1', { ...message, id: 'act-1' }),
    ],
  ])('gives up on %s when the channel never answers, instead of waiting as long as the connection stays open', async (_name, send) => {
    proxy.inject({ fault: { hang: true } });
    const c = await client();
    const started = Date.now();
    await expect(send(c)).rejects.toThrow();
    // Without a time-out it waited as long as the connection stayed open; the bound leaves room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('retries a 5xx within the deadline, and the message gets through', async () => {
    proxy.inject({ fault: { status: 502 }, times: 1 });
    const c = await client();
    await c.conversations.sendToConversation('a:1', message);
    expect(connector.received.map((a) => a.text)).toEqual(['hello']);
  });

  it('keeps the production waits under the 15 s a channel waits for a turn', () => {
    expect(CONNECTOR_TIMEOUTS.totalMs).toBeLessThan(15_000);
  });
});
