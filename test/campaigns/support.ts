import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { TEAMS_USER } from '../support/botClient';

export const ADMIN_KEY = 'admin-key-for-campaign-tests-0123456789';

/** Saturday 28 November 2026, 09:00 UTC: daytime in London and Tokyo, night in Los Angeles. */
export const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

export function guid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A directory file in a temporary folder: Adele is the Teams test user; the others are reached by their object ids. */
export function writeDirectory(entries: object[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-'));
  const file = path.join(dir, 'directory.json');
  fs.writeFileSync(file, JSON.stringify(entries));
  return file;
}

export const PEOPLE = [
  {
    upn: 'adele.vance@contoso.com',
    displayName: 'Adele Vance',
    role: 'employee',
    phones: ['+14255550100'],
    aadObjectId: TEAMS_USER.aadObjectId,
    groups: ['Finance'],
    timeZone: 'Europe/London',
  },
  {
    upn: 'megan.bowen@contoso.com',
    displayName: 'Megan Bowen',
    role: 'admin',
    phones: ['+14255550101'],
    aadObjectId: guid(2),
    timeZone: 'Asia/Tokyo',
  },
  { upn: 'sam.student@contoso.edu', displayName: 'Sam Student', role: 'student', phones: ['+12015550142'], aadObjectId: guid(3) },
  {
    upn: 'night.owl@contoso.com',
    displayName: 'Night Owl',
    role: 'employee',
    phones: [],
    aadObjectId: guid(4),
    timeZone: 'America/Los_Angeles',
  },
  { upn: 'no.app@contoso.com', displayName: 'No App', role: 'employee', phones: [], aadObjectId: guid(5), timeZone: 'Europe/Paris' },
  { upn: 'left.out@contoso.com', displayName: 'Left Out', role: 'employee', phones: [], aadObjectId: guid(6), timeZone: 'Europe/Paris' },
  {
    upn: 'finance.student@contoso.edu',
    displayName: 'Finance Student',
    role: 'student',
    phones: [],
    aadObjectId: guid(7),
    groups: ['Finance'],
    timeZone: 'Europe/Berlin',
  },
];

export function campaignBody(overrides: object = {}): Record<string, unknown> {
  return {
    name: 'Authenticator rollout',
    roles: ['employee', 'admin'],
    groups: ['Finance'],
    exclude: ['left.out@contoso.com'],
    methods: ['authenticatorApp'],
    startsAt: new Date(T0).toISOString(),
    deadline: new Date(T0 + 14 * DAY).toISOString(),
    snoozeDays: 2,
    maxSnoozes: 3,
    channels: ['teams'],
    ...overrides,
  };
}

export function admin(url: string) {
  const call = async (method: string, route: string, body?: unknown, key: string | null = ADMIN_KEY) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: a response's JSON, read field by field in assertions
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  };
  return {
    call,
    start: (body: unknown) => call('POST', '/api/admin/campaigns', body),
    get: (id: string) => call('GET', `/api/admin/campaigns/${id}`),
  };
}

/** The text blocks and action titles of a card an activity carries. */
export function cardOfActivity(activity: Partial<Activity>): { texts: string[]; actions: string[] } | undefined {
  const card = activity.attachments?.[0]?.content as { body?: unknown[]; actions?: Array<{ title: string }> } | undefined;
  if (!card) return undefined;
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'TextBlock' && typeof n.text === 'string') texts.push(n.text);
      if (n.type === 'FactSet') for (const f of n.facts as Array<{ title: string; value: string }>) texts.push(`${f.title}: ${f.value}`);
      for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
    }
  };
  walk(card.body);
  return { texts, actions: (card.actions ?? []).map((a) => a.title) };
}
