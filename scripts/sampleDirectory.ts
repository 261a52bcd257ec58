/**
 * `npx tsx scripts/sampleDirectory.ts > directory.sample.json && npx biome format --write directory.sample.json`: the sample
 * directory, made the same every time. The four people the tests use come
 * first, as they were; then the Playground's five; then 300 made-up employees, students and
 * admins, with Entra object ids, groups, time zones and languages, for a
 * local registration campaign (docs/campaigns.md).
 */
import { createHash } from 'node:crypto';

const FIXED = [
  { upn: 'adele.vance@contoso.com', displayName: 'Adele Vance', role: 'employee', phones: ['+14255550100'] },
  { upn: 'megan.bowen@contoso.com', displayName: 'Megan Bowen', role: 'admin', phones: ['+14255550101'] },
  { upn: 'sam.student@contoso.edu', displayName: 'Sam Student', role: 'student', phones: ['+12015550142'] },
  { upn: 'li.wei@contoso.edu', displayName: 'Li Wei', role: 'student', phones: [] },
];

/** The people of Microsoft 365 Agents Playground (`npm run playground`), by their object ids: a local campaign reaches them there. */
const PLAYGROUND = [
  ['alexw', 'Alex Wilber', 20],
  ['meganb', 'Megan Bowen', 21],
  ['adelev', 'Adele Vance', 22],
  ['isaiah', 'Isaiah Langer', 23],
  ['pattif', 'Patti Fernandez', 24],
].map(([name, displayName, n]) => ({
  upn: `${name}@example.com`,
  displayName,
  role: 'employee',
  phones: [],
  aadObjectId: `00000000-0000-0000-0000-00000000000${n}`,
  groups: ['Playground'],
  timeZone: 'Europe/London',
  language: 'en',
}));

const FIRST = [
  'Alex',
  'Bianca',
  'Carlos',
  'Dana',
  'Elif',
  'Farah',
  'Goran',
  'Hana',
  'Ivan',
  'Jun',
  'Kofi',
  'Lena',
  'Marta',
  'Nikhil',
  'Olga',
];
const LAST = [
  'Andersen',
  'Brown',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Novak',
  'Okafor',
  'Patel',
  'Quinn',
  'Rossi',
  'Silva',
  'Tanaka',
];
const ZONES = ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Paris', 'Asia/Tokyo', 'America/Mexico_City'];
const GROUPS = ['Finance', 'Engineering', 'Sales', 'Support', 'Research'];

/** A GUID-shaped id from a name: the same on every run. */
function guid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const people = [];
for (let i = 0; i < 300; i++) {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  const role = i % 10 === 9 ? 'admin' : i % 3 === 2 ? 'student' : 'employee';
  const domain = role === 'student' ? 'contoso.edu' : 'contoso.com';
  const upn = `${first}.${last}${i >= FIRST.length * LAST.length ? i : ''}@${domain}`.toLowerCase();
  const zone = ZONES[i % ZONES.length]!;
  people.push({
    upn,
    displayName: `${first} ${last}`,
    role,
    // One in five has no mobile on file.
    phones: i % 5 === 4 ? [] : [`+1425555${String(2000 + i).padStart(4, '0')}`],
    aadObjectId: guid(upn),
    groups: role === 'student' ? ['Students'] : [GROUPS[i % GROUPS.length]!],
    timeZone: zone,
    language: zone === 'America/Mexico_City' ? 'es' : 'en',
  });
}

process.stdout.write(`${JSON.stringify([...FIXED, ...PLAYGROUND, ...people], null, 2)}\n`);
