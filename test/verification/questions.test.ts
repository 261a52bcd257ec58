import { answerMatches, checkAnswers, hashAnswer, PREDEFINED_QUESTIONS, questionCatalogue } from '../../src/verification/questions';
import { setup, TEAMS } from '../support/service';

const catalogue = questionCatalogue([]);
const picks = [
  { questionId: 'q13', answer: 'Rex' },
  { questionId: 'q15', answer: 'Lyon' },
  { questionId: 'q3', answer: 'Ford Fiesta' },
];

describe('security questions', () => {
  it('ship 20 predefined questions, and take up to 20 of the organisation', () => {
    expect(PREDEFINED_QUESTIONS).toHaveLength(20);
    expect(new Set(PREDEFINED_QUESTIONS.map((q) => q.text)).size).toBe(20);
    expect(questionCatalogue(['What is our motto at home?']).at(-1)).toEqual({ id: 'c1', text: 'What is our motto at home?' });
  });

  it('accept valid picks', () => {
    expect(checkAnswers(picks, catalogue, 3)).toBeUndefined();
  });

  it.each([
    ['too few questions', picks.slice(0, 2), { problem: 'wrongCount', required: 3 }],
    ['an unknown question', [{ questionId: 'q99', answer: 'x y z' }, ...picks.slice(1)], { problem: 'unknownQuestion', index: 0 }],
    ['the same question twice', [picks[0]!, { questionId: 'q13', answer: 'Fido' }, picks[2]!], { problem: 'duplicateQuestion', index: 1 }],
    ['an answer too short', [picks[0]!, { questionId: 'q15', answer: 'NY' }, picks[2]!], { problem: 'answerLength', index: 1 }],
    ['an answer too long', [picks[0]!, picks[1]!, { questionId: 'q3', answer: 'a'.repeat(41) }], { problem: 'answerLength', index: 2 }],
    [
      'the same answer twice (case and spaces aside)',
      [picks[0]!, { questionId: 'q15', answer: '  rEx ' }, picks[2]!],
      { problem: 'duplicateAnswer', index: 1 },
    ],
    [
      'an answer that repeats its question',
      [picks[0]!, picks[1]!, { questionId: 'q3', answer: 'my first car' }],
      { problem: 'answerRepeatsQuestion', index: 2 },
    ],
  ])('refuse %s', (_what, given, problem) => {
    expect(checkAnswers(given, catalogue, 3)).toEqual(problem);
  });

  it('hash each answer with scrypt and its own salt, and match regardless of case and spacing', async () => {
    const a = await hashAnswer('q13', 'Rex');
    const b = await hashAnswer('q13', 'Rex');
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(JSON.stringify(a)).not.toMatch(/rex/i);
    expect(await answerMatches(a, '  rEX ')).toBe(true);
    expect(await answerMatches(a, 'Rexy')).toBe(false);
  });

  it('register through the service, never for admins', async () => {
    const { service, profile } = setup();
    expect(await service.registerSecurityQuestions(profile, picks, TEAMS)).toEqual({ status: 'registered' });
    expect(profile.methods.map((m) => m.kind)).toEqual(['securityQuestions']);
    const admin = { ...profile, userId: 'aad:admin', role: 'admin', methods: [] };
    expect(await service.registerSecurityQuestions(admin, picks, TEAMS)).toEqual({ status: 'notAllowed' });
  });
});
