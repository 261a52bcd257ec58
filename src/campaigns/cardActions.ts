import { type Language, type TextValues, t } from '../kit/texts';
import { kindInSentence } from '../presentation/labels';
import type { AuditLog, Clock } from '../verification/ports';
import type { SecurityInfoProfile } from '../verification/profile';
import type { CampaignBook } from './book';
import { whenText } from './message';
import { campaignState, type MethodKind, type OutreachRecord } from './model';
import { snooze, snoozesLeft } from './schedule';
import { meetsCampaign, nextMissing } from './targeting';

/** What a campaign card submits: `{ campaign, action, card }` (the card's nonce, stamped by the renderer). */
export interface CampaignSubmit {
  readonly campaign: string;
  readonly action: 'start' | 'snooze';
  readonly card?: string;
}

export function campaignSubmitOf(value: unknown): CampaignSubmit | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { campaign, action, card } = value as Record<string, unknown>;
  if (typeof campaign !== 'string' || (action !== 'start' && action !== 'snooze')) return undefined;
  return { campaign: campaign.slice(0, 64), action, card: typeof card === 'string' ? card.slice(0, 64) : undefined };
}

/** What the bot does with a click: say something, and maybe start the wizard at a method. */
export type CardAnswer = { readonly say: string; readonly setUp?: MethodKind };

export interface CardActionDeps {
  readonly book: CampaignBook;
  readonly clock: Clock;
  readonly audit: AuditLog;
  /** The person's time zone (the directory's, else the campaign's). */
  readonly timeZoneOf: (upn: string) => string | undefined;
}

/**
 * A click on a campaign card. "Set it up now" opens the wizard at the first
 * method the person lacks; "Not now" snoozes (how long, and how many snoozes
 * are left, said back), until none is left. A card clicked twice is acted on
 * once. Whoever completed is thanked and not contacted again.
 */
export async function answerCampaignCard(
  deps: CardActionDeps,
  submit: CampaignSubmit,
  profile: SecurityInfoProfile,
  via: string,
  language: Language,
): Promise<CardAnswer> {
  const now = deps.clock.now();
  const say = (key: string, values: TextValues = {}) => t(language, `campaign.${key}`, values);
  const campaign = await deps.book.get(submit.campaign);
  if (!campaign) return { say: say('unknown') };
  const { spec } = campaign;
  const timeZone = deps.timeZoneOf(profile.upn) ?? spec.timeZone;
  const upn = profile.upn.toLowerCase();
  if (meetsCampaign(spec.methods, profile)) {
    await deps.book.updateRecord(campaign.id, upn, (r) => {
      if (r.completedAt !== undefined) return false;
      r.completedAt = now;
      delete r.nextAt;
      return true;
    });
    return { say: say('alreadyDone') };
  }
  const method = nextMissing(spec.methods, profile);
  const named = { method: kindInSentence(method, language) };
  const deadline = whenText(Date.parse(spec.deadline), timeZone, language);
  const audit = (event: 'campaign.opened' | 'campaign.snoozed', detail: string) =>
    deps.audit.record({ at: now, userId: profile.userId, upn, event, result: 'success', via, detail: `${campaign.id}: ${detail}` });
  /** Marks the card as acted on; false when it was already (a repeated click). */
  const firstClick = (r: OutreachRecord) => {
    if (submit.card && r.actedCards?.includes(submit.card)) return false;
    if (submit.card) r.actedCards = [...(r.actedCards ?? []), submit.card].slice(-10);
    r.openedAt ??= now;
    return true;
  };
  if (submit.action === 'start') {
    const changed = await deps.book.updateRecord(campaign.id, upn, firstClick);
    if (changed) await audit('campaign.opened', `set up ${method}`);
    return { say: say('letsSetUp', named), setUp: method };
  }
  if (campaignState(campaign, now) !== 'running') {
    return { say: say('noMoreReminders', named) };
  }
  let answer: CardAnswer | undefined;
  const changed = await deps.book.updateRecord(campaign.id, upn, (r) => {
    const outcome = snooze(spec, r, now);
    if (!outcome.snoozed) {
      answer = { say: say('noSnoozesLeft', { ...named, deadline }) };
      return false;
    }
    if (!firstClick(r)) return false;
    r.snoozes += 1;
    r.snoozedUntil = outcome.nextAt;
    if (outcome.nextAt !== undefined) r.nextAt = outcome.nextAt;
    else delete r.nextAt;
    answer = { say: snoozedText(outcome.nextAt, outcome.left, timeZone, language) };
    return true;
  });
  if (changed) await audit('campaign.snoozed', `snooze ${changed.snoozes} of ${spec.maxSnoozes}`);
  if (answer) return answer;
  // A repeated click, or someone the campaign does not target: say where things stand.
  const record = await deps.book.record(campaign.id, upn);
  if (!record) return { say: say('anyTime', named) };
  return { say: snoozedText(record.nextAt, snoozesLeft(spec, record), timeZone, language) };
}

function snoozedText(nextAt: number | undefined, left: number, timeZone: string, language: Language): string {
  const when =
    nextAt === undefined
      ? t(language, 'campaign.noMoreBeforeDeadline')
      : t(language, 'campaign.remindAt', { when: whenText(nextAt, timeZone, language) });
  const after = left === 0 ? t(language, 'campaign.lastSnooze') : t(language, 'campaign.snoozesLeft', { left });
  return t(language, 'campaign.snoozed', { when, after });
}
