import type { DialogContext } from 'botbuilder-dialogs';
import type { ProgressStep } from '../presentation/labels';
import type { AnswerProblem } from '../verification/questions';
import { lockedMessage } from './authenticatorAppDialog';
import { CardFlowDialog, type FlowTurn, type Reply, type Screen, type Transition } from './cardFlowDialog';
import { DIFFERENT_METHOD } from './codeChallengeDialog';
import { type DialogDeps, STEP_UP_FIRST } from './deps';
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
            questions: this.deps.service.securityQuestions(),
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
          title: 'Security questions',
          headline: 'Security questions saved',
          message: 'Your security questions were registered successfully.',
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
        return { end: { differentMethod: true } satisfies MethodResult, say: 'Security questions are not available for your account.' };
      case 'locked':
        return { end: { locked: true } satisfies MethodResult, say: lockedMessage(result.until, this.deps.clock.now()) };
      case 'refused':
        return { again: true, say: answerProblemMessage(result.problem) };
      case 'stepUpRequired':
        return STEP_UP_FIRST;
    }
  }
}

function answerProblemMessage(problem: AnswerProblem): string {
  switch (problem.problem) {
    case 'wrongCount':
      return `Choose ${problem.required} questions and answer each of them.`;
    case 'unknownQuestion':
      return `Question ${problem.index + 1}: choose a question from the list.`;
    case 'duplicateQuestion':
      return `Question ${problem.index + 1}: you chose that question already. Choose a different one.`;
    case 'answerLength':
      return `Answer ${problem.index + 1} must be 3 to 40 characters. Please type your answers again.`;
    case 'duplicateAnswer':
      return `Answer ${problem.index + 1} is the same as another answer. Use a different answer for each question, and type them again.`;
    case 'answerRepeatsQuestion':
      return `Answer ${problem.index + 1} repeats words of its question. Give an answer that isn't in the question, and type them again.`;
  }
}
