/**
 * npm run nlu:eval: how well the assistant understands what people type.
 * Trains on nlu/en.json and nlu/es.json as the bot does, then reads every
 * sentence of the held-out sets (nlu/heldout.*.json, never trained on) as
 * the bot does (code check, thresholds, the sensitive intents' conditions),
 * and prints the accuracy per intent and language, the language guessed, the
 * confusion between intents, and any sensitive intent that would have acted
 * on a sentence meaning something else. Exits 1 below the target or on any
 * such sensitive mistake.
 */
import { IntentClassifier, LANGUAGES, type Label, type Language, NONE, readCorpus, trainingCorpora } from '../src/conversation/nlu';
import { read, SENSITIVE } from '../src/conversation/reading';

const TARGET = 0.95;

interface Outcome {
  readonly language: Language;
  readonly text: string;
  readonly expected: Label;
  /** The intent the bot acts on; "none" when it acts on none (offers, or says it did not get it). */
  readonly acted: Label;
  /** The intents it offers when unsure. */
  readonly offered: readonly Label[];
  readonly guessedLanguage?: Language;
}

const percent = (n: number, of: number) => (of === 0 ? '   -  ' : `${((100 * n) / of).toFixed(1).padStart(5)}%`);

async function main(): Promise<void> {
  const classifier = await IntentClassifier.train(trainingCorpora());
  const timings: number[] = [];
  const outcomes: Outcome[] = [];
  for (const language of LANGUAGES) {
    for (const { intent, utterances } of readCorpus(`heldout.${language}.json`).data) {
      for (const text of utterances) {
        const started = performance.now();
        const reading = await read(classifier, text);
        timings.push(performance.now() - started);
        outcomes.push({
          language,
          text,
          expected: intent as Label,
          acted: reading.kind === 'intent' ? reading.intent : NONE,
          offered: reading.kind === 'unsure' ? reading.likeliest : [],
          guessedLanguage: reading.kind === 'secret' ? undefined : reading.language,
        });
      }
    }
  }

  console.log(
    `Trained on ${classifier.utterances} utterances in ${classifier.trainingMs.toFixed(0)} ms; ` +
      `${outcomes.length} held-out sentences read in ${median(timings).toFixed(2)} ms each (median).\n`,
  );

  const labels = [...new Set(outcomes.map((o) => o.expected))];
  console.log(`${'intent'.padEnd(22)}${LANGUAGES.map((l) => `  ${l.padStart(6)}`).join('')}   offered when missed`);
  for (const label of labels) {
    const cells = LANGUAGES.map((language) => {
      const mine = outcomes.filter((o) => o.expected === label && o.language === language);
      return `  ${percent(mine.filter((o) => o.acted === label).length, mine.length)}`;
    });
    const missed = outcomes.filter((o) => o.expected === label && o.acted !== label);
    const offered = missed.filter((o) => o.offered.includes(label)).length;
    console.log(`${label.padEnd(22)}${cells.join('')}   ${label === NONE ? '' : `${offered}/${missed.length}`}`);
  }
  const right = (language?: Language) => outcomes.filter((o) => (!language || o.language === language) && o.acted === o.expected);
  const all = (language?: Language) => outcomes.filter((o) => !language || o.language === language);
  console.log(
    `${'all'.padEnd(22)}${LANGUAGES.map((l) => `  ${percent(right(l).length, all(l).length)}`).join('')}   ` +
      `overall ${percent(right().length, all().length).trim()} (target ${TARGET * 100}%)`,
  );
  const languageRight = (language: Language) => all(language).filter((o) => o.guessedLanguage === language).length;
  console.log(`${'language guessed'.padEnd(22)}${LANGUAGES.map((l) => `  ${percent(languageRight(l), all(l).length)}`).join('')}\n`);

  const confusion = new Map<string, Outcome[]>();
  for (const o of outcomes.filter((o) => o.acted !== o.expected)) {
    const key = `${o.expected} → ${o.acted}`;
    confusion.set(key, [...(confusion.get(key) ?? []), o]);
  }
  console.log(confusion.size === 0 ? 'Confusion: none.' : 'Confusion (expected → acted on; "none" = offered choices instead):');
  for (const [key, list] of [...confusion].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${key}  ×${list.length}: ${list.map((o) => `"${o.text}" (${o.language})`).join(', ')}`);
  }

  const elsewhere = outcomes.filter((o) => o.expected === NONE);
  console.log(
    `\nSentences meaning something else (${elsewhere.length}): ${elsewhere.filter((o) => o.acted !== NONE).length} acted on, ` +
      `${elsewhere.filter((o) => o.offered.length > 0).length} answered with "Did you mean…?", ` +
      `${elsewhere.filter((o) => o.acted === NONE && o.offered.length === 0).length} with the screen's options, help and the help desk.`,
  );

  const wrongSensitive = outcomes.filter((o) => o.acted !== o.expected && SENSITIVE.has(o.acted as never));
  console.log(
    `Security-sensitive intents (${[...SENSITIVE].join(', ')}) acting on a sentence that means something else: ${wrongSensitive.length}`,
  );
  for (const o of wrongSensitive) console.log(`  "${o.text}" (${o.language}, ${o.expected}) → ${o.acted}`);

  const accuracy = right().length / all().length;
  if (accuracy < TARGET || wrongSensitive.length > 0) process.exitCode = 1;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
