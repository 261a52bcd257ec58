import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { SecurityAnswer } from './profile';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

export interface SecurityQuestion {
  readonly id: string;
  readonly text: string;
}

/** The predefined questions: facts a person remembers and others are unlikely to find. */
export const PREDEFINED_QUESTIONS: readonly SecurityQuestion[] = [
  'What was the name of the street you lived on at age ten?',
  'What was the first name of your favourite teacher at primary school?',
  'What was the make and model of the first car you drove?',
  'In which town did your parents meet?',
  'What was the name of your first stuffed toy?',
  'What is the middle name of your oldest cousin?',
  'In which city did you first travel by plane to?',
  'What was the first concert you went to?',
  'What was the name of the first company you worked for?',
  'What was your childhood nickname that only family used?',
  'What was the name of the hospital where you were born?',
  'What was the first book you remember reading on your own?',
  'What was the name of your first pet?',
  'What is the first name of your childhood best friend?',
  'In which city was your first job?',
  'What was the surname of your first manager?',
  'What was the name of the first school you attended?',
  'Which sports team did you support as a child?',
  'What was the first dish you learned to cook?',
  'What is the name of the place your family went to on holiday most often?',
].map((text, i) => ({ id: `q${i + 1}`, text }));

/** The predefined questions, then the organisation's own (ids `c1`..`c20`). */
export function questionCatalogue(custom: readonly string[]): SecurityQuestion[] {
  return [...PREDEFINED_QUESTIONS, ...custom.map((text, i) => ({ id: `c${i + 1}`, text }))];
}

export const ANSWER_MIN = 3;
export const ANSWER_MAX = 40;

/** Case and spacing do not matter when an answer is checked again. */
export function normaliseAnswer(answer: string): string {
  return answer.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export type AnswerProblem =
  | { readonly problem: 'wrongCount'; readonly required: number }
  | { readonly problem: 'unknownQuestion'; readonly index: number }
  | { readonly problem: 'duplicateQuestion'; readonly index: number }
  | { readonly problem: 'answerLength'; readonly index: number }
  | { readonly problem: 'duplicateAnswer'; readonly index: number }
  | { readonly problem: 'answerRepeatsQuestion'; readonly index: number };

const SMALL_WORDS = new Set([
  'what',
  'was',
  'the',
  'of',
  'your',
  'you',
  'did',
  'in',
  'which',
  'at',
  'is',
  'to',
  'a',
  'on',
  'first',
  'name',
]);

/** The words of a question that would make an answer guessable if repeated in it. */
function significantWords(question: string): string[] {
  return normaliseAnswer(question)
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .split(' ')
    .filter((w) => w.length >= 3 && !SMALL_WORDS.has(w));
}

/**
 * Checks picks against the rules of docs/design.md §5: the required number, known and
 * distinct questions, answers of 3–40 characters, no answer twice, and no
 * answer that repeats words of its question. Returns the first problem.
 */
export function checkAnswers(
  picks: ReadonlyArray<{ questionId: string; answer: string }>,
  catalogue: readonly SecurityQuestion[],
  required: number,
): AnswerProblem | undefined {
  if (picks.length !== required) return { problem: 'wrongCount', required };
  const seenQuestions = new Set<string>();
  const seenAnswers = new Set<string>();
  for (const [index, pick] of picks.entries()) {
    const question = catalogue.find((q) => q.id === pick.questionId);
    if (!question) return { problem: 'unknownQuestion', index };
    if (seenQuestions.has(question.id)) return { problem: 'duplicateQuestion', index };
    seenQuestions.add(question.id);
    const answer = normaliseAnswer(pick.answer);
    if (answer.length < ANSWER_MIN || answer.length > ANSWER_MAX) return { problem: 'answerLength', index };
    if (seenAnswers.has(answer)) return { problem: 'duplicateAnswer', index };
    seenAnswers.add(answer);
    const words = answer.split(/[^\p{L}\p{N}]+/u);
    if (significantWords(question.text).some((w) => words.includes(w))) return { problem: 'answerRepeatsQuestion', index };
  }
  return undefined;
}

/** scrypt (RFC 7914) with its defaults (N = 2^14, r = 8, p = 1), asynchronous so the event loop keeps turning. */
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashAnswer(questionId: string, answer: string): Promise<SecurityAnswer> {
  const salt = randomBytes(16);
  const hash = await scrypt(normaliseAnswer(answer), salt, 32, SCRYPT);
  return { questionId, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

/** Whether `answer` is the one registered: the check password reset makes (this bot never asks the questions). */
export async function answerMatches(stored: SecurityAnswer, answer: string): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await scrypt(normaliseAnswer(answer), Buffer.from(stored.salt, 'base64'), expected.length, SCRYPT);
  return timingSafeEqual(expected, actual);
}
