import { DAY, type VerificationDeps } from './deps';
import { maskEmail } from './email';
import { maskPhone } from './phone';
import type { MethodKind } from './policy';
import type { AuditEvent, Destination, SecurityInfoChange, Via } from './ports';
import { isPhoneMethod, isTextablePhone, type SecurityInfoProfile, type SecurityMethod } from './profile';

/** Change notices per person per UTC day (each goes to every registered phone and email). */
const NOTICES_PER_DAY = 20;

/**
 * What every change leaves behind: an audit event (who, what, when, where,
 * result — never a secret, code or full number) and a notice to the person
 * on their registered phones and emails (docs/design.md §5).
 */
export class Effects {
  constructor(private readonly deps: Pick<VerificationDeps, 'clock' | 'audit' | 'counters' | 'messenger'>) {}

  async record(
    profile: SecurityInfoProfile,
    event: AuditEvent['event'],
    result: AuditEvent['result'],
    via: Via,
    method?: SecurityMethod | MethodKind,
    detail?: string,
  ): Promise<void> {
    const kind = typeof method === 'string' ? method : method?.kind;
    const masked = typeof method === 'object' ? maskedDetail(method) : undefined;
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      userId: profile.userId,
      upn: profile.upn,
      event,
      result,
      via: via.channel,
      ...(kind ? { method: kind } : {}),
      ...((detail ?? masked) ? { detail: detail ?? masked } : {}),
    });
  }

  /**
   * Tells the person, on their registered phones and emails (`recipients`,
   * the methods held before the change by default), that their security info
   * changed. Never a code. A notice that fails to go out does not undo the change.
   */
  async notifyChange(
    profile: SecurityInfoProfile,
    change: SecurityInfoChange,
    recipients: readonly SecurityMethod[] = profile.methods,
  ): Promise<void> {
    const destinations = recipients.flatMap((m): Destination[] => {
      if (isTextablePhone(m)) return [{ channel: 'sms', address: m.e164 }];
      if (m.kind === 'email') return [{ channel: 'email', address: m.address }];
      return [];
    });
    if (destinations.length === 0) return;
    // Notices cost texts too: a daily cap per person, so no script can make them flood.
    const now = this.deps.clock.now();
    const dayEnds = (Math.floor(now / DAY) + 1) * DAY;
    if (!(await this.deps.counters.take(`notices:user:${profile.userId}`, NOTICES_PER_DAY, dayEnds))) return;
    for (const destination of destinations) await this.deps.messenger.notifyChange(destination, change);
  }
}

/** What the audit log may say of a method: masked destinations, an app's name. */
function maskedDetail(method: SecurityMethod): string | undefined {
  if (isPhoneMethod(method)) return maskPhone(method.e164);
  if (method.kind === 'email') return maskEmail(method.address);
  if (method.kind === 'authenticatorApp') return method.appName;
  return undefined;
}
