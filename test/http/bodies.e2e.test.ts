import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_BODY_BYTES } from '../../src/channels/server';
import { type Running, startServer } from '../startup/support';
import { BotFixture } from '../support/botFixture';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** A multipart form of one file of `bytes` bytes, as a browser or curl -F sends it. */
function multipart(bytes: number): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const boundary = '----bodytest';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.alloc(bytes, 0x61),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body: new Uint8Array(body), contentType: `multipart/form-data; boundary=${boundary}` };
}

const activity = JSON.stringify({
  type: 'message',
  channelId: 'msteams',
  from: { id: '29:x' },
  conversation: { id: 'a:x' },
  text: 'hi',
});

describe('what each route takes as a body', () => {
  let bot: BotFixture;
  beforeAll(async () => {
    bot = await BotFixture.start();
  });
  afterAll(() => bot.stop());

  const post = (route: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) =>
    fetch(`${bot.app.url}${route}`, { method: 'POST', headers, body }).then((r) => r.status);

  it.each([
    ['a form', 'type=message', { 'content-type': FORM }],
    ['a multipart form', multipart(1024).body, { 'content-type': multipart(0).contentType }],
    ['plain text', 'hello', { 'content-type': 'text/plain' }],
    ['compressed JSON', new Uint8Array(gzipSync(activity)), { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' }],
  ])('/api/messages refuses %s with 415', async (_what, body, headers) => {
    expect(await post('/api/messages', body, headers)).toBe(415);
  });

  it('/api/messages refuses JSON over the size limit with 413, before reading it', async () => {
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(MAX_BODY_BYTES) });
    expect(await post('/api/messages', big, { 'content-type': JSON_TYPE })).toBe(413);
  });

  it.each([['/api/sms'], ['/api/voice/x.y'], ['/api/voice/x.y/status']])(
    "Twilio's webhook %s takes a form only: JSON and multipart get 415, a form reaches the signature check",
    async (route) => {
      expect(await post(route, '{"Body":"hi"}', { 'content-type': JSON_TYPE })).toBe(415);
      expect(await post(route, multipart(1024).body, { 'content-type': multipart(0).contentType })).toBe(415);
      expect(await post(route, 'Body=hi', { 'content-type': `${FORM}; charset=utf-8` })).toBe(403);
    },
  );

  it('a route that takes no body refuses one with 415', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.request(
        `${bot.app.url}/healthz`,
        { method: 'GET', headers: { 'content-type': JSON_TYPE, 'content-length': '2' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      request.once('error', reject);
      request.end('{}');
    });
    expect(status).toBe(415);
  });
});

describe('a multipart body', () => {
  let tmp: string;
  let server: Running;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-tmpdir-'));
    // tsx would keep its compiled files in the temp folder.
    server = await startServer({ TMPDIR: tmp, TSX_DISABLE_CACHE: '1', DATA_DIR: path.join(tmp, '..', `${path.basename(tmp)}-data`) });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(`${tmp}-data`, { recursive: true, force: true });
  });

  it.each([['/api/messages'], ['/api/sms']])('of 3 MiB to %s gets 415, and nothing is written to the temp folder', async (route) => {
    const { body, contentType } = multipart(3 * 1024 * 1024);
    const response = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(415);
    expect(fs.readdirSync(tmp, { recursive: true })).toEqual([]);
  });
});
