import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { generate } from 'selfsigned';

/** Any base64 key: the local server does not check signatures, the SDK only needs one to sign with. */
export const LOCAL_COSMOS_KEY = Buffer.from('local-cosmos-test-key-not-a-secret').toString('base64');

export interface LocalCosmos {
  readonly endpoint: string;
  /** Trusts this server's own certificate, for one client only (never process-wide). */
  readonly agent: https.Agent;
  stop(): Promise<void>;
}

let certificate: Promise<{ key: string; cert: string }> | undefined;

/** A fresh self-signed certificate for localhost and 127.0.0.1, made once per test file (the local server's, and a proxy's in front of it). */
export function localhostCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return certificate;
}

/** Starts @vercel/cosmosdb-server on a free loopback port, with TLS. */
export async function startLocalCosmos(): Promise<LocalCosmos> {
  const { key, cert } = await localhostCertificate();
  const server = createHttpsServer({ key, cert });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new https.Agent({ ca: cert, keepAlive: true });
  return {
    endpoint: `https://localhost:${port}`,
    agent,
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
