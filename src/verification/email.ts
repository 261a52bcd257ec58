import { z } from 'zod';

export type EmailProblem = { readonly problem: 'invalid' } | { readonly problem: 'organisationDomain'; readonly domain: string };

const address = z.email();

/**
 * An email address for password reset: well formed, and not in one of the
 * organisation's own domains (that mailbox sits behind the password being reset).
 */
export function checkEmailAddress(input: string, organisationDomains: readonly string[]): { address: string } | EmailProblem {
  const trimmed = input.trim();
  if (trimmed.length > 254 || !address.safeParse(trimmed).success) return { problem: 'invalid' };
  const [local, domain] = [trimmed.slice(0, trimmed.lastIndexOf('@')), trimmed.slice(trimmed.lastIndexOf('@') + 1).toLowerCase()];
  const own = organisationDomains.find((d) => domain === d || domain.endsWith(`.${d}`));
  if (own) return { problem: 'organisationDomain', domain: own };
  return { address: `${local}@${domain}` };
}

/** "a•••@fabrikam.com". */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  return `${value.slice(0, 1)}•••${value.slice(at)}`;
}
