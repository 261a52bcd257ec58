import path from 'node:path';
import { loadPolicyFile } from '../src/policyFile';
import { defaultPolicy } from '../src/verification/policy';

it('the policy.example.yaml that ships is a valid policy, with the built-in roles', () => {
  const policy = loadPolicyFile(path.join(__dirname, '..', 'policy.example.yaml'));
  expect(Object.keys(policy.roles).sort()).toEqual(Object.keys(defaultPolicy.roles).sort());
  expect(policy.limits).toEqual(defaultPolicy.limits);
  expect(policy.codes).toEqual(defaultPolicy.codes);
});
