import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../src/kit/errors';
import { loadPolicyFile } from '../src/policyFile';
import { loadDirectory } from '../src/state/directory';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const VALID = `
defaultRole: staff
roles:
  staff:
    enabledMethods: [authenticatorApp, phone, email]
    requiredMethods: [authenticatorApp]
    ssprMethodsRequired: 2
  student:
    enabledMethods: [phone, email, securityQuestions]
    securityQuestionsRequired: 5
limits:
  attemptsPerCode: 3
phone:
  defaultCountry: GB
  allowedCountries: [GB, IE]
email:
  organisationDomains: [contoso.ac.uk]
securityQuestions:
  custom: ["What is the name of the river that runs through your home town?"]
`;

describe('the policy file', () => {
  it('reads YAML, fills the defaults, and keeps what it tightens', () => {
    const policy = loadPolicyFile(write('policy.yaml', VALID));
    expect(policy.defaultRole).toBe('staff');
    expect(policy.roles.student).toEqual({
      enabledMethods: ['phone', 'email', 'securityQuestions'],
      requiredMethods: [],
      ssprMethodsRequired: 1,
      securityQuestionsRequired: 5,
    });
    expect(policy.limits).toMatchObject({ attemptsPerCode: 3, lockoutThreshold: 10, lockoutMinutes: 15 });
    expect(policy.codes.lifetimeMinutes).toBe(5);
    expect(policy.securityQuestions.custom).toHaveLength(1);
  });

  it('reads JSON too', () => {
    const policy = loadPolicyFile(
      write('policy.json', JSON.stringify({ roles: { employee: { enabledMethods: ['phone'] } }, phone: { allowedCountries: ['US'] } })),
    );
    expect(policy.roles.employee?.enabledMethods).toEqual(['phone']);
  });

  it.each([
    [
      'a required method that is not enabled',
      VALID.replace('requiredMethods: [authenticatorApp]', 'requiredMethods: [authenticatorApp, phone]').replace(
        '[authenticatorApp, phone, email]',
        '[authenticatorApp, email]',
      ),
      'roles.staff.requiredMethods.1: "phone" is required but not enabled',
    ],
    [
      'email required for MFA',
      VALID.replace('requiredMethods: [authenticatorApp]', 'requiredMethods: [email]'),
      'roles.staff.requiredMethods.0: "email" cannot be required: only MFA methods can',
    ],
    ['an unknown method', VALID.replace('[phone, email, securityQuestions]', '[phone, pigeon]'), 'roles.student.enabledMethods.1'],
    ['a looser limit than the default', VALID.replace('attemptsPerCode: 3', 'attemptsPerCode: 8'), 'limits.attemptsPerCode'],
    ['a code lifetime over 10 minutes', VALID.replace('limits:', 'codes:\n  lifetimeMinutes: 30\nlimits:'), 'codes.lifetimeMinutes'],
    [
      'a default role that does not exist',
      VALID.replace('defaultRole: staff', 'defaultRole: visitor'),
      'defaultRole: "visitor" is not one of the roles',
    ],
    [
      'security questions for admins',
      `${VALID}`.replace('  student:', '  admin:'),
      'roles.admin.enabledMethods: security questions are never allowed for admins',
    ],
    [
      'a default country outside the allowed ones',
      VALID.replace('defaultCountry: GB', 'defaultCountry: US'),
      'phone.defaultCountry: must be one of allowedCountries',
    ],
    [
      'more password-reset methods than the role enables',
      VALID.replace('ssprMethodsRequired: 2', 'ssprMethodsRequired: 2')
        .replace('[authenticatorApp, phone, email]', '[authenticatorApp]')
        .replace('requiredMethods: [authenticatorApp]', 'requiredMethods: []'),
      'roles.staff.ssprMethodsRequired: password reset needs 2 methods but only 1 of the enabled ones serve it',
    ],
    ['an unknown field', VALID.replace('limits:', 'limitz: {}\nlimits:'), 'limitz'],
    ['a custom question too long', VALID.replace('"What is the name', `"${'x'.repeat(200)}`), 'securityQuestions.custom.0'],
  ])('names the field of %s', (_what, text, message) => {
    const file = write('bad.yaml', text);
    expect(() => loadPolicyFile(file)).toThrow(ConfigError);
    expect(() => loadPolicyFile(file)).toThrow(message);
    expect(() => loadPolicyFile(file)).toThrow(/^POLICY_FILE: /);
  });

  it('says when the file is not YAML, or missing', () => {
    expect(() => loadPolicyFile(write('broken.yaml', 'roles: [unclosed'))).toThrow(/is not valid YAML/);
    expect(() => loadPolicyFile(path.join(dir, 'nope.yaml'))).toThrow(/cannot read/);
  });
});

describe('the directory file', () => {
  const roles = new Set(['employee', 'student']);

  it('reads CSV and JSON, and finds people by UPN (any case) and by phone', () => {
    const csv = loadDirectory(
      write('people.csv', 'upn,displayName,role,phones\nSam.Student@Contoso.edu,Sam Student,student,+12015550142;+12015550143\n'),
      roles,
    );
    expect(csv.find('sam.student@contoso.edu')).toEqual({
      upn: 'sam.student@contoso.edu',
      displayName: 'Sam Student',
      role: 'student',
      phones: ['+12015550142', '+12015550143'],
    });
    expect(csv.findByPhone('+12015550143')?.upn).toBe('sam.student@contoso.edu');
    const json = loadDirectory(write('people.json', JSON.stringify([{ upn: 'a@contoso.com', displayName: 'A', role: 'employee' }])), roles);
    expect(json.find('A@contoso.com')?.phones).toEqual([]);
  });

  it('names the line and field of a bad entry, and refuses roles the policy does not have', () => {
    expect(() =>
      loadDirectory(write('bad.csv', 'upn,displayName,role,phones\nok@contoso.com,Ok,student,\nnot-an-email,X,student,\n'), roles),
    ).toThrow(/line 3, upn/);
    expect(() => loadDirectory(write('bad2.csv', 'upn,displayName,role,phones\na@contoso.com,A,student,555-0100\n'), roles)).toThrow(
      /line 2, phones.0: must be E.164/,
    );
    expect(() =>
      loadDirectory(write('bad.json', JSON.stringify([{ upn: 'a@contoso.com', displayName: 'A', role: 'pilot' }])), roles),
    ).toThrow(/entry 1, role: "pilot" is not a role of the policy/);
    expect(() => loadDirectory(write('bad3.csv', 'email,name\n'), roles)).toThrow(/first line must be/);
  });
});
