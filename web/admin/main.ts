import { Charts } from './charts';
import { el } from './dom';
import { renderCampaigns, renderCompletions, renderPeople, renderQueue, renderTickets } from './render';
import type { Summary } from './summary';
import { formatTimeUtc, methodName, say } from './texts';

/** The figures are asked for again this often (docs/admin.md). */
const REFRESH_MS = 5000;
const FILTERS = ['role', 'group', 'method'] as const;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const sections: Array<[string, (s: Summary) => Node[]]> = [
  ['people', renderPeople],
  ['campaigns', renderCampaigns],
  ['completions', renderCompletions],
  ['tickets', renderTickets],
  ['queue', renderQueue],
];

const charts = new Charts();
let shown = '';
let timer: number | undefined;

/** The filters chosen, as a query string (kept in the page's URL, so a reload or a link keeps them). */
function query(): string {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = byId<HTMLSelectElement>(`filter-${name}`).value;
    if (value) params.set(name, value);
  }
  return params.toString();
}

/** Options for each filter from the summary, keeping the one chosen. */
function fillFilters(summary: Summary): void {
  const lists = { role: summary.filters.roles, group: summary.filters.groups, method: summary.filters.methods };
  for (const name of FILTERS) {
    const select = byId<HTMLSelectElement>(`filter-${name}`);
    const chosen = select.value;
    const values = [...new Set([...lists[name], ...(chosen ? [chosen] : [])])];
    const current = [...select.options].slice(1).map((o) => o.value);
    if (current.join('\n') === values.join('\n')) continue;
    const label = name === 'method' ? methodName : (v: string) => v;
    select.replaceChildren(select.options[0]!, ...values.map((v) => el('option', { value: v }, label(v))));
    select.value = chosen;
  }
}

/** What the live region says: an `admin.page` text. */
function announce(key: string, values: Record<string, string> = {}): void {
  byId('updated').textContent = say(key, values);
}

/** Draws the summary when it changed: the live region says so once, not at every poll. */
function show(summary: Summary): void {
  fillFilters(summary);
  const { generatedAt, ...figures } = summary;
  const fingerprint = JSON.stringify(figures);
  if (fingerprint === shown) return;
  shown = fingerprint;
  for (const [id, render] of sections) byId(id).replaceChildren(...render(summary));
  charts.draw(summary);
  announce('updated', { time: formatTimeUtc(new Date(generatedAt)) });
}

async function refresh(): Promise<void> {
  window.clearTimeout(timer);
  const q = query();
  try {
    const response = await fetch(`/api/admin/summary${q ? `?${q}` : ''}`, { headers: { accept: 'application/json' } });
    if (response.status === 401) {
      announce('sessionEnded');
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    show((await response.json()) as Summary);
  } catch (err) {
    announce('refreshFailed', { error: (err as Error).message });
  }
  timer = window.setTimeout(() => void refresh(), REFRESH_MS);
}

function start(): void {
  const params = new URLSearchParams(window.location.search);
  for (const name of FILTERS) {
    const select = byId<HTMLSelectElement>(`filter-${name}`);
    const value = params.get(name);
    if (value) select.append(el('option', { value }, value));
    select.value = value ?? '';
    select.addEventListener('change', () => {
      // The page's URL keeps the filters and a `lang` asked for (the API is not sent it).
      const kept = new URLSearchParams(query());
      const lang = params.get('lang');
      if (lang) kept.set('lang', lang);
      const q = kept.toString();
      history.replaceState(null, '', `/admin${q ? `?${q}` : ''}`);
      shown = '';
      announce('loadingFiltered');
      void refresh();
    });
  }
  byId<HTMLFormElement>('filters').addEventListener('submit', (event) => event.preventDefault());
  void refresh();
}

if (document.getElementById('dashboard')) start();
