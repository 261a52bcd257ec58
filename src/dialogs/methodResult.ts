import type { ProgressStep } from '../presentation/labels';
import type { MethodKind } from '../verification/profile';

/** How a method dialog ends, for the wizard (or manage mode) to decide what comes next. */
export type MethodResult =
  | { readonly registered: true }
  | { readonly back: true }
  | { readonly differentMethod: true }
  | { readonly locked: true };

export function isMethodResult(value: unknown): value is MethodResult {
  return typeof value === 'object' && value !== null && ['registered', 'back', 'differentMethod', 'locked'].some((k) => k in value);
}

/** What a method dialog is started with. */
export interface MethodDialogOptions {
  readonly progress: readonly ProgressStep[];
  /** Which kind of phone (phone, alternate, office). */
  readonly kind?: MethodKind;
  /** Changing a method: the one the new one replaces once proven. */
  readonly replaces?: string;
}
