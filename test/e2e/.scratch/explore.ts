import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { startApp } from '../../../src/index';
import { createLogger } from '../../../src/log';
import { startPlayground } from '../../../scripts/playground';
import { launchChromium, localOnlyContext } from '../support/browser';

(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'explore-'));
  const app = await startApp(loadConfig({ PORT: '0', DATA_DIR: dataDir }), { log: createLogger('error') });
  const pg = await startPlayground({ botEndpoint: `${app.url}/api/messages` });
  const browser = await launchChromium();
  const { context, blocked } = await localOnlyContext(browser, { width: 420, height: 900 });
  const page = await context.newPage();
  try {
    await page.goto(pg.url);
    const last = () => page.locator('.ac-adaptiveCard').last();
    await last().filter({ hasText: 'More information required' }).waitFor();
    await page.locator('button[title="Hide log panel"]').click();
    await page.screenshot({ path: '/tmp/explore/n1.png' });
    fs.writeFileSync('/tmp/explore/page1.html', await page.content());
    for (const t of ['Start by getting the app', 'Set up your account', 'Scan the QR code']) {
      await last().getByRole('button', { name: 'Next', exact: true }).click();
      await last().filter({ hasText: t }).waitFor();
    }
    await page.screenshot({ path: '/tmp/explore/n2.png' });
    fs.writeFileSync('/tmp/explore/qrcard.html', await last().evaluate((e) => e.outerHTML));
    fs.writeFileSync('/tmp/explore/page.html', await page.content());
    console.log('blocked', blocked.length);
    console.log(await last().boundingBox(), await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]));
    console.log(await last().evaluate((e) => { const r = []; let n: Element | null = e; while (n) { const cs = getComputedStyle(n); r.push(`${n.tagName}.${(n.className||'').toString().slice(0,40)} w=${n.getBoundingClientRect().width} x=${n.getBoundingClientRect().x} min=${cs.minWidth} max=${cs.maxWidth} ov=${cs.overflowX}`); n = n.parentElement; } return r.join('\n'); }));
    await last().screenshot({ path: '/tmp/explore/card.png' });
  } finally {
    await browser.close();
    await pg.stop();
    await app.close();
  }
})();
