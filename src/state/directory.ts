import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../kit/errors';

const entrySchema = z
  .object({
    upn: z.string().trim().toLowerCase().pipe(z.email()),
    displayName: z.string().trim().min(1).max(200),
    role: z.string().trim().min(1).max(40),
    /** Phones on file, E.164. */
    phones: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164, like +14255550100')).default([]),
    /** Entra object id: where a campaign's proactive Teams chat goes (docs/campaigns.md). */
    aadObjectId: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F-]{8,64}$/, 'must be an Entra object id (a GUID)')
      .toLowerCase()
      .optional(),
    /** Entra tenant id; absent, ALLOWED_TENANT_ID. */
    tenantId: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F-]{8,64}$/, 'must be an Entra tenant id (a GUID)')
      .toLowerCase()
      .optional(),
    /** Directory groups, by name. */
    groups: z.array(z.string().trim().min(1).max(120)).max(500).optional(),
    /** IANA time zone (quiet hours are the person's). */
    timeZone: z.string().trim().refine(isTimeZone, 'must be an IANA time zone, like Europe/Paris').optional(),
    /** BCP 47 language tag, like en or es-MX. */
    language: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag, like en or es-MX')
      .optional(),
  })
  .strict();

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type DirectoryEntry = z.output<typeof entrySchema>;

/** The sample that ships, used when DIRECTORY_FILE is not set. */
export const SAMPLE_DIRECTORY = path.resolve(__dirname, '..', '..', 'directory.sample.json');

/** Who belongs to the organisation: their role and the phones on file. */
export class Directory {
  private readonly byUpn: ReadonlyMap<string, DirectoryEntry>;

  constructor(entries: readonly DirectoryEntry[]) {
    this.byUpn = new Map(entries.map((e) => [e.upn, e]));
  }

  /** Everyone, in the file's order. */
  all(): DirectoryEntry[] {
    return [...this.byUpn.values()];
  }

  find(upn: string): DirectoryEntry | undefined {
    return this.byUpn.get(upn.trim().toLowerCase());
  }

  /** Whose phone on file this is (for texts from a number, docs/design.md §3); a number on file for two people is no one's. */
  findByPhone(e164: string): DirectoryEntry | undefined {
    const owners = [...this.byUpn.values()].filter((entry) => entry.phones.includes(e164));
    return owners.length === 1 ? owners[0] : undefined;
  }
}

/** The CSV columns: the first four are required, in this order; the others may follow, in any order. */
const REQUIRED_COLUMNS = ['upn', 'displayName', 'role', 'phones'] as const;
const OPTIONAL_COLUMNS = new Set(['aadObjectId', 'tenantId', 'groups', 'timeZone', 'language']);
/** Columns holding lists, separated by ";". */
const LIST_COLUMNS = new Set(['phones', 'groups']);

/**
 * Reads a directory file: JSON (an array of entries) or CSV whose header
 * starts `upn,displayName,role,phones` and may go on with `aadObjectId`,
 * `tenantId`, `groups`, `timeZone`, `language` (lists separated by ";"; no
 * commas inside a field). A bad row stops the start with its line and field named.
 */
export function loadDirectory(file: string, knownRoles: ReadonlySet<string>): Directory {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError('DIRECTORY_FILE', `cannot read ${file}`);
  }
  const rows: Array<{ line: string; value: unknown }> = [];
  if (file.toLowerCase().endsWith('.csv')) {
    const [header, ...lines] = text.split(/\r?\n/);
    const columns = (header ?? '').split(',').map((c) => c.trim());
    const extra = columns.slice(REQUIRED_COLUMNS.length);
    if (
      REQUIRED_COLUMNS.some((name, i) => columns[i] !== name) ||
      extra.some((name) => !OPTIONAL_COLUMNS.has(name)) ||
      new Set(extra).size !== extra.length
    ) {
      throw new ConfigError(
        'DIRECTORY_FILE',
        `${file}: the first line must be "upn,displayName,role,phones", optionally followed by ${[...OPTIONAL_COLUMNS].join(', ')}`,
      );
    }
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const cells = line.split(',').map((c) => c.trim());
      const value: Record<string, unknown> = {};
      columns.forEach((name, at) => {
        const cell = cells[at] ?? '';
        if (LIST_COLUMNS.has(name)) {
          value[name] = cell
            .split(';')
            .map((p) => p.trim())
            .filter(Boolean);
        } else if (cell || at < REQUIRED_COLUMNS.length) {
          value[name] = cell;
        }
      });
      rows.push({ line: `line ${i + 2}`, value });
    });
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ConfigError('DIRECTORY_FILE', `${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(json)) throw new ConfigError('DIRECTORY_FILE', `${file} must hold an array of entries`);
    json.forEach((value, i) => {
      rows.push({ line: `entry ${i + 1}`, value });
    });
  }
  const entries = rows.map(({ line, value }) => {
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConfigError('DIRECTORY_FILE', `${file}, ${line}, ${issue.path.join('.') || 'entry'}: ${issue.message}`);
    }
    if (!knownRoles.has(parsed.data.role)) {
      throw new ConfigError('DIRECTORY_FILE', `${file}, ${line}, role: "${parsed.data.role}" is not a role of the policy`);
    }
    return parsed.data;
  });
  return new Directory(entries);
}
