/**
 * `npm run campaign -- <command>`: registration campaigns from a terminal,
 * through the bot's admin API (docs/campaigns.md), so every instance and store
 * sees them and every action is checked and audited in one place.
 *
 *   start --file campaign.yaml     starts the campaign the file describes (the API's fields, in YAML)
 *   list                           every campaign, its state and counts
 *   status <id>                    one campaign's state and counts
 *   pause|resume|stop <id>
 *
 * `--url` is the bot (default http://localhost:$PORT); the key is ADMIN_API_KEY.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { campaignSpecSchema, specProblem } from '../campaigns/model';
import { loadConfig } from '../config';

const USAGE =
  'usage: npm run campaign -- start --file <campaign.yaml> | list | status <id> | pause <id> | resume <id> | stop <id>  [--url <bot url>]';

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

/** A YAML date (unquoted) read back as the ISO 8601 text the API takes. */
function isoDates(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(isoDates);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isoDates(v)]));
  return value;
}

function countsLine(view: { id: string; name: string; state: string; deadline: string; counts: Record<string, number> }): string {
  const counts = Object.entries(view.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${view.id}  ${view.state.padEnd(9)}  ${view.name}  (deadline ${view.deadline}): ${counts}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, id] = argv;
  const config = loadConfig();
  if (!config.adminApiKey) {
    console.error('ADMIN_API_KEY is not set: the admin API (and this command) are off');
    return 2;
  }
  const url = (option(argv, '--url') ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${config.adminApiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${response.status}: ${String(json.error ?? response.statusText)}`);
    return json;
  };

  if (command === 'start') {
    const file = option(argv, '--file');
    if (!file) {
      console.error(USAGE);
      return 2;
    }
    let raw: unknown;
    try {
      raw = isoDates(YAML.parse(fs.readFileSync(file, 'utf8')));
    } catch (err) {
      console.error(`${file}: ${(err as Error).message}`);
      return 1;
    }
    // The same schema as the API's, so a mistake is named before anything is sent.
    const parsed = campaignSpecSchema.safeParse(raw);
    if (!parsed.success) {
      console.error(`${file}: ${specProblem(parsed.error).message}`);
      return 1;
    }
    const { id: started } = (await call('POST', '/api/admin/campaigns', raw)) as { id: string };
    console.log(`Started ${started}.`);
    console.log(countsLine((await call('GET', `/api/admin/campaigns/${started}`)) as never));
    return 0;
  }
  if (command === 'list') {
    const { campaigns } = (await call('GET', '/api/admin/campaigns')) as { campaigns: never[] };
    if (campaigns.length === 0) console.log('No campaigns.');
    for (const view of campaigns) console.log(countsLine(view));
    return 0;
  }
  if (command === 'status' && id) {
    console.log(countsLine((await call('GET', `/api/admin/campaigns/${encodeURIComponent(id)}`)) as never));
    return 0;
  }
  if ((command === 'pause' || command === 'resume' || command === 'stop') && id) {
    const { state } = (await call('POST', `/api/admin/campaigns/${encodeURIComponent(id)}/${command}`)) as { state: string };
    console.log(`${id} is ${state}.`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
