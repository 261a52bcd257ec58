/**
 * `npm run bench:core`: what the expensive pieces of a turn cost, one by one.
 * Prints operations per second; fails on nothing.
 */
import { CardRenderer, verbatim } from '../src/presentation/cards';
import { qrPngDataUri } from '../src/presentation/qr';
import { cryptoRandom } from '../src/verification/ports';
import { hashAnswer } from '../src/verification/questions';
import { SecretBox } from '../src/verification/secretBox';
import { checkTotp, otpauthUri, totpCodeAt } from '../src/verification/totp';

async function measure(name: string, work: () => unknown | Promise<unknown>, seconds = 1.5): Promise<{ name: string; opsPerSecond: number; msEach: number }> {
  for (let i = 0; i < 3; i++) await work(); // warm up
  let count = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    await work();
    count += 1;
  }
  const elapsed = performance.now() - started;
  return { name, opsPerSecond: Math.round((count / elapsed) * 1000), msEach: Math.round((elapsed / count) * 1000) / 1000 };
}

async function main(): Promise<void> {
  const secret = cryptoRandom.bytes(20);
  const now = Date.now();
  const code = totpCodeAt(secret, now);
  const box = new SecretBox([{ id: 'k', key: cryptoRandom.bytes(32) }], cryptoRandom);
  const sealed = box.seal(secret, 'ctx');
  const hash = box.keyedHash('id:123456');
  const uri = otpauthUri({ issuer: 'Contoso', accountName: 'adele.vance@contoso.com', secret });
  const cards = new CardRenderer();
  const steps = [
    { number: 1, name: 'App', done: false, current: true },
    { number: 2, name: 'Phone', done: false, current: false },
  ];
  const scanData = {
    orgName: 'Contoso',
    steps,
    appName: 'Microsoft Authenticator',
    microsoft: true,
    qrImage: verbatim(await qrPngDataUri(uri)),
    qrSize: '220px',
    issuer: 'Contoso',
    accountName: verbatim('adele.vance@contoso.com'),
    secretKey: verbatim('ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567'),
  };
  let organisations = 0;

  const results = [
    await measure('TOTP check (±1 step)', () => checkTotp(secret, code, now)),
    await measure('secret open (AES-256-GCM)', () => box.open(sealed, 'ctx')),
    await measure('code keyed hash check (HMAC-SHA-256)', () => box.matchesKeyedHash('id:123456', hash)),
    await measure('QR render (PNG data URI)', () => qrPngDataUri(uri)),
    await measure('card, kept expansion filled in: Start by getting the app', () => cards.render('getTheApp', { orgName: 'Contoso', steps, appName: 'Microsoft Authenticator', microsoft: true, downloadUrl: 'https://aka.ms/authapp' }, 'n')),
    await measure('card, kept expansion filled in: Scan the QR code', () => cards.render('scanQrCode', scanData, 'n')),
    // A new organisation name every time: never kept before, so the template is expanded.
    await measure('card, first expansion: Scan the QR code', () => cards.render('scanQrCode', { ...scanData, orgName: `Org ${organisations++}` }, 'n')),
    await measure('security answer hash (scrypt N=2^14, async)', () => hashAnswer('q1', 'Ford Fiesta')),
  ];
  console.table(results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
