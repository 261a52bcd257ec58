import fs from 'node:fs';
import YAML from 'yaml';
import { ConfigError } from './kit/errors';
import { type Policy, policySchema } from './verification/policy';

/**
 * Reads POLICY_FILE (YAML or JSON) and checks it against the policy schema.
 * The first problem stops the start, with the field's path named:
 * `POLICY_FILE: policy.yaml, roles.student.requiredMethods.0: "email" cannot be required`.
 */
export function loadPolicyFile(file: string): Policy {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError('POLICY_FILE', `cannot read ${file}`);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new ConfigError(
      'POLICY_FILE',
      `${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('POLICY_FILE', `${file}, ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return parsed.data;
}
