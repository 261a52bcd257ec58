import type { DirectoryEntry } from '../state/directory';
import type { SecurityInfoProfile } from '../verification/profile';
import type { CampaignSpec, MethodKind } from './model';

/**
 * Who a campaign is for: people of one of its roles or in one of its groups
 * (either matches when both are given), less those it excludes, in the
 * directory's order.
 */
export function targetsOf(spec: Pick<CampaignSpec, 'roles' | 'groups' | 'exclude'>, entries: readonly DirectoryEntry[]): DirectoryEntry[] {
  const roles = new Set(spec.roles);
  const groups = new Set(spec.groups.map((g) => g.toLowerCase()));
  const excluded = new Set(spec.exclude);
  return entries.filter(
    (entry) => !excluded.has(entry.upn) && (roles.has(entry.role) || (entry.groups ?? []).some((group) => groups.has(group.toLowerCase()))),
  );
}

/** Whether a person has registered every method the campaign asks for (the kinds their profile holds, as the verification core keeps them). */
export function meetsCampaign(methods: readonly MethodKind[], profile: Pick<SecurityInfoProfile, 'methods'> | undefined): boolean {
  return !!profile && methods.every((kind) => profile.methods.some((m) => m.kind === kind));
}

/** The first method the campaign asks for that the person lacks: where "Set it up now" goes. */
export function nextMissing(methods: readonly MethodKind[], profile: Pick<SecurityInfoProfile, 'methods'> | undefined): MethodKind {
  return methods.find((kind) => !profile?.methods.some((m) => m.kind === kind)) ?? methods[0]!;
}
