import type { ConversationReference } from 'botbuilder';
import type { Logger } from '../kit/log';
import { DEFAULT_LANGUAGE, type Language } from '../kit/texts';
import { setTurnLanguage, turnLanguage, withTurnLanguage } from '../kit/turnLanguage';
import { TurnReplay, withTurnReplay } from '../kit/turnReplay';
import type { PersonState } from '../state/personState';
import type { Clock } from '../verification/ports';
import type { CallOutcome, SecurityInfoProfile } from '../verification/profile';
import { VerificationService } from '../verification/service';

/** Twilio's final call statuses, as the verification service names them. */
const ENDINGS: Record<string, CallOutcome> = {
  'no-answer': 'noAnswer',
  busy: 'busy',
  failed: 'failed',
  canceled: 'failed',
  completed: 'hungUp',
};

export interface CallResultsDeps {
  readonly state: PersonState;
  readonly service: VerificationService;
  readonly log: Logger;
  readonly clock: Clock;
  /** Runs a proactive turn in a conversation, so a waiting dialog looks again. */
  readonly wake: (reference: Partial<ConversationReference>) => Promise<void>;
}

/**
 * What the voice webhooks do: find the person the call belongs to, let the
 * verification service judge the key press or the ending, save, and wake the
 * conversations waiting on it. The webhook payload itself is never trusted
 * beyond the digit pressed: the dialog reads the outcome from the profile.
 */
export class CallResults {
  constructor(private readonly deps: CallResultsDeps) {}

  /** What the key pressed did, and the language of the call's person (what the call says next is in it). */
  async keyPressed(
    callToken: string,
    digits: string,
  ): Promise<{ outcome: 'verified' | 'wrongKey' | 'unknownCall' | 'locked'; language: Language }> {
    return withTurnLanguage(async () => {
      // An unknown call changes nothing: nothing is written and no one is woken.
      const outcome = await this.change(callToken, async (profile) => {
        const { status } = await this.deps.service.answerCall(profile, callToken, digits);
        return status === 'unknownCall' ? undefined : status;
      });
      return { outcome: outcome ?? 'unknownCall', language: turnLanguage() };
    });
  }

  /** Only an ending the person has not heard of yet wakes the chat (Twilio reports "completed" after # too). */
  async callEnded(callToken: string, twilioStatus: string): Promise<void> {
    const ending = ENDINGS[twilioStatus];
    if (!ending) return;
    await withTurnLanguage(() =>
      this.change(callToken, (profile) => this.deps.service.recordCallEnd(profile, callToken, ending) || undefined),
    );
  }

  /** Applies `judge` to the call's person; saves and wakes their chats unless it returns undefined (nothing happened). */
  private async change<T>(
    callToken: string,
    judge: (profile: SecurityInfoProfile) => Promise<T | undefined> | T | undefined,
  ): Promise<T | undefined> {
    const personId = VerificationService.callTokenOwner(callToken);
    if (!personId) return undefined;
    // Read again after a conflict, a judgement does its irreversible effects once (attempt slots, audit, notices).
    const updated = await withTurnReplay(new TurnReplay(this.deps.clock.now()), () =>
      this.deps.state.update(personId, (doc) => {
        // What the judgement sends (a change notice) is in the person's language.
        setTurnLanguage(doc.language ?? DEFAULT_LANGUAGE);
        return doc.profile ? judge(doc.profile) : undefined;
      }),
    );
    if (updated?.result === undefined) return undefined;
    // Wake every conversation of this person with a dialog running (the one that placed the call among them).
    for (const [channelId, reference] of Object.entries(updated.doc.conversations)) {
      if ((updated.doc.dialogs[channelId]?.dialogStack?.length ?? 0) > 0) {
        await this.deps.wake(reference).catch((err) => this.deps.log.warn({ err, channelId }, 'could not wake the conversation'));
      }
    }
    return updated.result;
  }
}
