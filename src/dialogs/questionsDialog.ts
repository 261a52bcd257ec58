import type { DialogContext } from 'botbuilder-dialogs';
import { hasText, type Language, t } from '../kit/texts';
import type { ProgressStep } from '../presentation/labels';
import type { AnswerProblem, SecurityQuestion } from '../verification/questions';
import { lockedMessage } from './authenticatorAppDialog';
import { CardFlowDialog, type FlowTurn, type Reply, type Screen, type Transition } from './cardFlowDialog';
import { DIFFERENT_METHOD } from './codeChallengeDialog';
import { type DialogDeps, stepUpFirst } from './deps';
import type { MethodDialogOptions, MethodResult } from './methodResult';

export const QUESTIONS_DIALOG = 'securityQuestions';

interface QuestionsData {
  progress: readonly ProgressStep[];
  /** The questions chosen last time (never the answers), to fill the card again after a refusal. */
  chosen: string[];
}

/**
 * Registers security questions (password reset only): choose N of the list,
 * answer each in a password field. Answers go straight to the verification
 * service to be checked and hashed; they are never stored in dialog state or echoed.
 */
export class QuestionsDialog extends CardFlowDialog<QuestionsData, MethodDialogOptions> {
  protected readonly firstScreen = 'questions';

  protected readonly screens: Record<string, Screen<QuestionsData>> = {
    questions: {
      show: (turn) => {
        const count = this.deps.service.roleOf(this.deps.profile(turn.context)).securityQuestionsRequired;
        return {
          card: 'securityQuestions',
          data: {
            orgName: this.deps.orgName,
            steps: turn.data.progress,
            questions: this.deps.service.securityQuestions().map((q) => ({ ...q, text: questionText(q, turn.language) })),
            questionCount: count,
            slots: Array.from({ length: count }, (_, i) => ({ number: i + 1, chosen: turn.data.chosen[i] ?? '' })),
          },
        };
      },
      on: {
        save: (turn, reply) => this.save(turn, reply),
        differentMethod: () => DIFFERENT_METHOD,
      },
    },
    saved: {
      show: (turn) => ({
        card: 'methodRegistered',
        data: {
          orgName: this.deps.orgName,
          steps: turn.data.progress,
          title: turn.t('methods.securityQuestions'),
          headline: turn.t('questions.saved'),
          message: turn.t('questions.registered'),
        },
      }),
      on: { next: () => ({ end: { registered: true } satisfies MethodResult }) },
    },
  };

  constructor(deps: DialogDeps) {
    super(QUESTIONS_DIALOG, deps);
  }

  protected initialData(_dc: DialogContext, options: MethodDialogOptions | undefined): QuestionsData {
    return { progress: options?.progress ?? [], chosen: [] };
  }

  private async save(turn: FlowTurn<QuestionsData>, reply: Reply): Promise<Transition> {
    const profile = this.deps.profile(turn.context);
    const count = this.deps.service.roleOf(profile).securityQuestionsRequired;
    const picks = Array.from({ length: count }, (_, i) => ({
      questionId: reply.values[`question${i + 1}`] ?? '',
      answer: reply.values[`answer${i + 1}`] ?? '',
    }));
    turn.data.chosen = picks.map((p) => p.questionId);
    const result = await this.deps.service.registerSecurityQuestions(profile, picks, this.deps.via(turn.context));
    switch (result.status) {
      case 'registered':
        return { go: 'saved' };
      case 'notAllowed':
        return { end: { differentMethod: true } satisfies MethodResult, say: turn.t('questions.notAllowed') };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(turn.language, result.until, this.deps.clock.now()) };
      case 'refused':
        return { again: true, say: answerProblemMessage(result.problem, turn.language) };
      case 'stepUpRequired':
        return stepUpFirst(turn.language);
    }
  }
}

function answerProblemMessage(problem: AnswerProblem, language: Language): string {
  if (problem.problem === 'wrongCount') return t(language, 'questions.problem.wrongCount', { required: problem.required });
  return t(language, `questions.problem.${problem.problem}`, { number: problem.index + 1 });
}

/** A question as the person reads it: the catalogs' wording of a predefined one; the organisation's own as written. */
function questionText(question: SecurityQuestion, language: Language): string {
  const key = `questions.predefined.${question.id}`;
  return hasText(key) ? t(language, key) : question.text;
}
