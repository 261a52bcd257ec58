/**
 * Who an admin request comes from: an API caller with the bearer key, or a
 * person signed in to the dashboard (by Entra ID, or by the key in local
 * mode). Every `/api/admin/*` route asks `authorise(req)` for one and answers
 * 401 without it; `name` is what the audit log records.
 */
export interface AdminIdentity {
  readonly name: string;
  readonly via: 'bearer' | 'session';
}

/** The one guard of every admin route: an identity, or undefined (then 401). */
export type Authorise = (req: import('restify').Request) => AdminIdentity | undefined;
