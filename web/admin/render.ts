import { el, figures, formatNumber, table, withShare } from './dom';
import { FUNNEL, STATUSES, type Summary } from './summary';

/**
 * Each section of the dashboard from a summary: figures and tables (the text
 * alternative of every chart), and an empty canvas where a chart is drawn.
 */

/** A canvas for a chart, in a box that gives it its height. */
const chartBox = (attributes: Record<string, string>) => el('div', { class: 'chart' }, el('canvas', attributes));

export function renderPeople(summary: Summary): Node[] {
  const { people } = summary;
  return [
    figures('People by status', [
      ['Everyone', formatNumber(people.total), 'people.total'],
      ...STATUSES.map(([key, label]): [string, string, string] => [
        label,
        withShare(people.byStatus[key], people.total),
        `people.byStatus.${key}`,
      ]),
    ]),
    table(
      'People by role and status',
      ['Role', ...STATUSES.map(([, label]) => label)],
      people.byRole.map((row) => [row.role, ...STATUSES.map(([key]) => row[key])]),
      'people.byRole',
    ),
    table(
      'Registered methods',
      ['Method', 'People'],
      people.byMethod.map((row) => [row.method, row.count]),
      'people.byMethod',
    ),
  ];
}

export function renderCampaigns(summary: Summary): Node[] {
  const { campaigns } = summary;
  if (campaigns.length === 0) return [el('p', {}, 'No campaign has been started.')];
  return [
    chartBox({
      id: 'funnel-chart',
      role: 'img',
      'aria-label': `Funnel of ${campaigns.length} campaign(s): targeted, reached, opened and completed. The table below gives each figure.`,
    }),
    table(
      'Funnel per campaign (share of those targeted)',
      ['Campaign', 'State', 'Deadline', ...FUNNEL.map(([, label]) => label), 'Snoozed', 'Unreachable'],
      campaigns.map((c) => [
        c.name,
        c.state,
        c.deadline ? c.deadline.slice(0, 10) : '—',
        ...FUNNEL.map(([key]) => (key === 'targeted' ? formatNumber(c.counts.targeted) : withShare(c.counts[key], c.counts.targeted))),
        c.counts.snoozed,
        c.counts.unreachable,
      ]),
      'campaigns',
    ),
  ];
}

export function renderCompletions(summary: Summary): Node[] {
  const { completions } = summary;
  const total = completions.reduce((sum, d) => sum + d.count, 0);
  if (completions.length === 0) return [el('p', {}, 'Nobody has completed their registration yet.')];
  const first = completions[0]!.day;
  const last = completions[completions.length - 1]!.day;
  return [
    chartBox({
      id: 'completions-chart',
      role: 'img',
      'aria-label': `Completions per day from ${first} to ${last}: ${formatNumber(total)} in all. The table below gives each day.`,
    }),
    el(
      'details',
      {},
      el('summary', {}, `Completions per day as a table (${formatNumber(total)} in all)`),
      table(
        'Completions per day',
        ['Day', 'Completions'],
        completions.map((d) => [d.day, d.count]),
        'completions',
      ),
    ),
  ];
}

export function renderTickets(summary: Summary): Node[] {
  return [
    figures('Help-desk tickets', [
      ['Open, waiting for an agent', formatNumber(summary.tickets.open), 'tickets.open'],
      ['Claimed by an agent', formatNumber(summary.tickets.claimed), 'tickets.claimed'],
    ]),
  ];
}

export function renderQueue(summary: Summary): Node[] {
  const { queue } = summary;
  const until = queue.retryAfterUntil ? new Date(queue.retryAfterUntil) : undefined;
  const paused = until && !Number.isNaN(until.getTime()) ? `until ${until.toISOString().slice(11, 16)} UTC` : 'no';
  return [
    figures('Send queue', [
      ['Waiting to be sent', formatNumber(queue.pending), 'queue.pending'],
      ['Sent in the last hour', formatNumber(queue.sentLastHour), 'queue.sentLastHour'],
      ['Sent a minute (last 5 minutes)', formatNumber(queue.ratePerMinute), 'queue.ratePerMinute'],
      ['Paused by the provider', paused, 'queue.retryAfterUntil'],
    ]),
  ];
}
