import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDirectory, SAMPLE_DIRECTORY } from '../../src/state/directory';

const roles = new Set(['employee', 'student', 'admin']);

function file(name: string, text: string): string {
  const at = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dir-')), name);
  fs.writeFileSync(at, text);
  return at;
}

describe('the directory, with the fields campaigns need', () => {
  it('still loads a file of the old shape, JSON or CSV', () => {
    const csv = loadDirectory(
      file('d.csv', 'upn,displayName,role,phones\nAdele@contoso.com,Adele,employee,+14255550100;+14255550199\n'),
      roles,
    );
    expect(csv.find('adele@contoso.com')).toEqual({
      upn: 'adele@contoso.com',
      displayName: 'Adele',
      role: 'employee',
      phones: ['+14255550100', '+14255550199'],
    });
    const json = loadDirectory(file('d.json', JSON.stringify([{ upn: 'li@contoso.edu', displayName: 'Li', role: 'student' }])), roles);
    expect(json.all()).toEqual([{ upn: 'li@contoso.edu', displayName: 'Li', role: 'student', phones: [] }]);
  });

  it('reads object id, tenant, groups, time zone and language, from CSV columns after the first four', () => {
    const directory = loadDirectory(
      file(
        'd.csv',
        'upn,displayName,role,phones,groups,timeZone,aadObjectId,language\n' +
          'a@contoso.com,A,employee,,Finance;Sales,Europe/Paris,6F1A9A2E-5D43-4C0E-9B4A-6A1D2E3F4A5B,fr\n' +
          'b@contoso.com,B,employee,,,,,\n',
      ),
      roles,
    );
    expect(directory.find('a@contoso.com')).toEqual({
      upn: 'a@contoso.com',
      displayName: 'A',
      role: 'employee',
      phones: [],
      groups: ['Finance', 'Sales'],
      timeZone: 'Europe/Paris',
      aadObjectId: '6f1a9a2e-5d43-4c0e-9b4a-6a1d2e3f4a5b',
      language: 'fr',
    });
    expect(directory.find('b@contoso.com')).toEqual({ upn: 'b@contoso.com', displayName: 'B', role: 'employee', phones: [], groups: [] });
  });

  it('names the line and field of a bad value, and an unknown column', () => {
    expect(() =>
      loadDirectory(
        file('d.json', JSON.stringify([{ upn: 'a@contoso.com', displayName: 'A', role: 'employee', timeZone: 'Paris' }])),
        roles,
      ),
    ).toThrow(/entry 1, timeZone: must be an IANA time zone/);
    expect(() => loadDirectory(file('d.csv', 'upn,displayName,role,phones,shoeSize\n'), roles)).toThrow(/the first line must be/);
  });

  it("ships a sample of a few hundred people, the tests' four first", () => {
    const sample = loadDirectory(SAMPLE_DIRECTORY, roles).all();
    expect(sample.length).toBeGreaterThanOrEqual(300);
    expect(sample.slice(0, 4).map((e) => e.upn)).toEqual([
      'adele.vance@contoso.com',
      'megan.bowen@contoso.com',
      'sam.student@contoso.edu',
      'li.wei@contoso.edu',
    ]);
    expect(new Set(sample.map((e) => e.aadObjectId).filter(Boolean)).size).toBe(sample.length - 4);
  });
});
