// The two bots of the benchmark, each in its own process so that its memory and CPU are its own:
// `node bench/servers.js enrollment|echo <dataDir>`. Runs the compiled bot (`npm run build` first),
// as production does. Prints `listening <port>` when ready.
const path = require('node:path');
const {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  UserState,
} = require('botbuilder');
const restify = require('restify');
const { loadConfig } = require('../dist/config');
const { startApp } = require('../dist/index');
const { StoreMetering } = require('../dist/storage/metering');
const { SqliteStore } = require('../dist/storage/sqliteStore');
const { cryptoRandom, systemClock } = require('../dist/verification/ports');

const [kind, dataDir] = process.argv.slice(2);

/**
 * The store metering of both bots, printing each turn's cost as one line (each bot
 * runs at the default log level, info, where the bot's own "turn cost" line is off).
 * The CPU time is the process's during the turn: a turn's own only when turns do not overlap.
 */
class PrintedMetering extends StoreMetering {
  async measure(work) {
    const cpuBefore = process.cpuUsage();
    const measured = await super.measure(work);
    const cpu = process.cpuUsage(cpuBefore);
    process.stdout.write(`${JSON.stringify({ msg: 'turn cost', storeCost: measured.cost, cpuMicros: cpu.user + cpu.system })}\n`);
    return measured;
  }
}

/** botbuilder's Storage over the same SQLite store (counted per turn by the same metering as the real bot). */
function sqliteStorage(store) {
  return {
    async read(keys) {
      const items = {};
      for (const key of keys) {
        const found = await store.get('state', key);
        if (found) items[key] = { ...found.value, eTag: found.etag };
      }
      return items;
    },
    async write(changes) {
      for (const [key, value] of Object.entries(changes)) await store.put('state', key, value);
    },
    async delete(keys) {
      for (const key of keys) await store.delete('state', key);
    },
  };
}

async function echo() {
  const metering = new PrintedMetering();
  const storage = sqliteStorage(metering.wrap(new SqliteStore(path.join(dataDir, 'echo.sqlite'), systemClock, cryptoRandom)));
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const turns = userState.createProperty('turns');
  const lastSeen = conversationState.createProperty('lastSeen');
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const count = (await turns.get(context, 0)) + 1;
    await turns.set(context, count);
    await lastSeen.set(context, context.activity.id);
    await context.sendActivity(`Echo ${count}: ${context.activity.text ?? ''}`);
    await next();
  });
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await metering.measure(() =>
      adapter.process(req, res, async (context) => {
        await bot.run(context);
        await conversationState.saveChanges(context);
        await userState.saveChanges(context);
      }),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

/**
 * The enrollment bot, with the settings of BENCH_ENV added (the soak: a Cosmos DB store, Twilio); BENCH_COSMOS_CA
 * is the certificate its Cosmos DB client trusts (a local server's or its fault proxy's, for this client only).
 */
async function enrollment() {
  const extra = JSON.parse(process.env.BENCH_ENV || '{}');
  const ca = extra.BENCH_COSMOS_CA;
  delete extra.BENCH_COSMOS_CA;
  const cosmosAgent = ca ? new (require('node:https').Agent)({ ca, keepAlive: true }) : undefined;
  const app = await startApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, ...extra }), { metering: new PrintedMetering(), cosmosAgent });
  return Number(new URL(app.url).port);
}

(kind === 'echo' ? echo() : enrollment()).then(
  (port) => console.log(`listening ${port}`),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0)); // so --cpu-prof writes its profile
