import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { Lifecycle } from '../../src/channels/lifecycle';
import { createLogger } from '../../src/kit/log';

/** A server with the lifecycle's probes and one slow route, whose answer the test releases. */
async function serverWithSlowRoute(ready: () => Promise<boolean> = async () => true) {
  const lifecycle = new Lifecycle(createLogger('silent'), ready);
  const server = restify.createServer();
  lifecycle.install(server);
  let release = () => {};
  const started = new Promise<void>((resolveStarted) => {
    server.post('/api/messages', async (_req, res) => {
      resolveStarted();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      res.send(200, { done: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { lifecycle, server, url, started, release: () => release() };
}

describe('health, readiness and a stop that drops no turn', () => {
  it('/healthz says the process lives; /readyz says whether its store answers', async () => {
    let storeAnswers = true;
    const { server, url } = await serverWithSlowRoute(async () => {
      if (!storeAnswers) throw new Error('store down');
      return true;
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    storeAnswers = false;
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    server.close();
  });

  it('while draining, a turn in flight finishes; a new one gets 503 with Retry-After; the probes still answer', async () => {
    const { lifecycle, server, url, started, release } = await serverWithSlowRoute();
    const inFlight = fetch(`${url}/api/messages`, { method: 'POST' });
    await started;
    let drained = false;
    const draining = lifecycle.drain(10_000).then(() => {
      drained = true;
    });
    const refused = await fetch(`${url}/api/messages`, { method: 'POST' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(drained).toBe(false);
    release();
    expect(await (await inFlight).json()).toEqual({ done: true });
    await draining;
    expect(drained).toBe(true);
    server.close();
  });
});
