import { performance } from 'node:perf_hooks';
import { IntentClassifier, readCorpus, sharedClassifier, trainingCorpora } from '../../src/conversation/nlu';

describe('the intent classifier', () => {
  it('is trained once per process and shared by every bot the process starts, in a few seconds at most', async () => {
    const started = performance.now();
    const first = await sharedClassifier();
    const again = await sharedClassifier();
    expect(again).toBe(first);
    expect(first.utterances).toBeGreaterThan(2000);
    // Measured where the suite runs (about 1.5 s); generous, so that a busy machine does not fail it.
    expect(first.trainingMs).toBeLessThan(15_000);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('learns from dozens of utterances per intent in each language, none of them held out for the evaluation', () => {
    for (const language of ['en', 'es']) {
      const training = readCorpus(`${language}.json`);
      const heldOut = new Set(readCorpus(`heldout.${language}.json`).data.flatMap((d) => d.utterances.map((u) => u.toLowerCase())));
      for (const { intent, utterances } of training.data) {
        expect([intent, utterances.length >= 24]).toEqual([intent, true]);
        expect(utterances.filter((u) => heldOut.has(u.toLowerCase()))).toEqual([]);
      }
    }
  });

  it.each([
    ['esto no funciona, necesito ayuda', 'es'],
    ['perdi mi telefono', 'es'],
    ['no encuentro la app', 'es'],
    ['I LOST MY PHONE', 'en'],
    ['can someone call me', 'en'],
    ['my code doesnt work', 'en'],
  ])('tells the language of "%s" (%s)', async (text, language) => {
    expect((await (await sharedClassifier()).classify(text)).language).toBe(language);
  });

  it('reads a word one typo away as the word ("i lsot my phnoe")', async () => {
    const classifier = await sharedClassifier();
    expect((await classifier.classify('i lsot my phnoe')).ranked[0]!.label).toBe('lostPhone');
    expect((await classifier.classify('helppp')).ranked[0]!.label).toBe('help');
  });

  it('trains from any corpus of the same shape (the evaluation trains its own)', async () => {
    const [en] = trainingCorpora();
    const small = await IntentClassifier.train([{ locale: 'en', data: en!.data.filter((d) => ['help', 'cancel'].includes(d.intent)) }]);
    expect((await small.classify('what can you do')).ranked[0]!.label).toBe('help');
  });
});
