/**
 * `npm run audit -- --user <upn> [--json]`: the audit log of one person, read
 * from the store of DATA_DIR. A second entry point, so it reads the settings
 * itself, as the server's composition root does.
 */
import { loadConfig } from '../config';
import { StoreAuditLog } from '../storage/auditStore';
import { SqliteStore, sqliteFileIn } from '../storage/sqliteStore';
import { cryptoRandom, systemClock } from '../verification/ports';

async function main(argv: string[]): Promise<number> {
  const userAt = argv.indexOf('--user');
  const user = userAt >= 0 ? argv[userAt + 1] : undefined;
  if (!user) {
    console.error('usage: npm run audit -- --user <upn> [--json]');
    return 2;
  }
  const config = loadConfig();
  const store = new SqliteStore(sqliteFileIn(config.dataDir), systemClock, cryptoRandom);
  try {
    const events = await new StoreAuditLog(store, cryptoRandom).forUser(user);
    if (argv.includes('--json')) {
      for (const event of events) console.log(JSON.stringify(event));
    } else if (events.length === 0) {
      console.log(`No audit events for ${user}.`);
    } else {
      for (const e of events) {
        console.log([new Date(e.at).toISOString(), e.event, e.result, e.method ?? '-', e.detail ?? '-', `via ${e.via}`].join('  '));
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
