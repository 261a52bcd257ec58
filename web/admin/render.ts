import { el, figures, table, withShare } from './dom';
import { FUNNEL, STATUSES, type Summary } from './summary';
import { formatNumber, formatTimeUtc, methodName, say } from './texts';

/**
 * Each section of the dashboard from a summary: figures and tables (the text
 * alternative of every chart), and an empty canvas where a chart is drawn.
 * Days stay ISO dates (2026-11-30), the same in both languages.
 */

/** A canvas for a chart, in a box that gives it its height. */
const chartBox = (attributes: Record<string, string>) => el('div', { class: 'chart' }, el('canvas', attributes));

export function renderPeople(summary: Summary): Node[] {
  const { people } = summary;
  return [
    figures(say('peopleLabel'), [
      [say('everyone'), formatNumber(people.total), 'people.total'],
      ...STATUSES.map((key): [string, string, string] => [
        say(`statuses.${key}`),
        withShare(people.byStatus[key], people.total),
        `people.byStatus.${key}`,
      ]),
    ]),
    table(
      say('byRoleCaption'),
      [say('role'), ...STATUSES.map((key) => say(`statuses.${key}`))],
      people.byRole.map((row) => [row.role, ...STATUSES.map((key) => row[key])]),
      'people.byRole',
    ),
    table(
      say('methodsCaption'),
      [say('method'), say('people')],
      people.byMethod.map((row) => [methodName(row.method), row.count]),
      'people.byMethod',
    ),
  ];
}

export function renderCampaigns(summary: Summary): Node[] {
  const { campaigns } = summary;
  if (campaigns.length === 0) return [el('p', {}, say('noCampaign'))];
  return [
    chartBox({ id: 'funnel-chart', role: 'img', 'aria-label': say('funnelAlt', { count: campaigns.length }) }),
    table(
      say('funnelCaption'),
      [
        say('campaign'),
        say('state'),
        say('deadline'),
        ...FUNNEL.map((key) => say(`counts.${key}`)),
        say('counts.snoozed'),
        say('counts.unreachable'),
      ],
      campaigns.map((c) => [
        c.name,
        c.state,
        c.deadline ? c.deadline.slice(0, 10) : '—',
        ...FUNNEL.map((key) => (key === 'targeted' ? formatNumber(c.counts.targeted) : withShare(c.counts[key], c.counts.targeted))),
        c.counts.snoozed,
        c.counts.unreachable,
      ]),
      'campaigns',
    ),
  ];
}

export function renderCompletions(summary: Summary): Node[] {
  const { completions } = summary;
  const total = formatNumber(completions.reduce((sum, d) => sum + d.count, 0));
  if (completions.length === 0) return [el('p', {}, say('noCompletions'))];
  const first = completions[0]!.day;
  const last = completions[completions.length - 1]!.day;
  return [
    chartBox({ id: 'completions-chart', role: 'img', 'aria-label': say('completionsAlt', { first, last, total }) }),
    el(
      'details',
      {},
      el('summary', {}, say('completionsSummary', { total })),
      table(
        say('completionsCaption'),
        [say('day'), say('completionsColumn')],
        completions.map((d) => [d.day, d.count]),
        'completions',
      ),
    ),
  ];
}

export function renderTickets(summary: Summary): Node[] {
  return [
    figures(say('ticketsLabel'), [
      [say('ticketsOpen'), formatNumber(summary.tickets.open), 'tickets.open'],
      [say('ticketsClaimed'), formatNumber(summary.tickets.claimed), 'tickets.claimed'],
    ]),
  ];
}

export function renderQueue(summary: Summary): Node[] {
  const { queue } = summary;
  const until = queue.retryAfterUntil ? new Date(queue.retryAfterUntil) : undefined;
  const paused =
    until && !Number.isNaN(until.getTime()) ? say('pausedUntil', { time: formatTimeUtc(until, false) }) : say('notPaused');
  return [
    figures(say('queueLabel'), [
      [say('queuePending'), formatNumber(queue.pending), 'queue.pending'],
      [say('queueSentLastHour'), formatNumber(queue.sentLastHour), 'queue.sentLastHour'],
      [say('queueRate'), formatNumber(queue.ratePerMinute), 'queue.ratePerMinute'],
      [say('queuePaused'), paused, 'queue.retryAfterUntil'],
    ]),
  ];
}
