import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './support';

describe('a stop as a platform asks for it (SIGTERM)', () => {
  it('finishes, says so in its log (flushed before exit), and exits with 0', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-stop-'));
    try {
      const bot = await startServer({ DATA_DIR: dataDir });
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
      expect(await bot.stop()).toBe(0);
      const said = bot.logLines().map((l) => l.msg);
      expect(said).toContain('stopping: finishing the turns in flight, then closing the store');
      expect(said.at(-1)).toBe('stopped');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
