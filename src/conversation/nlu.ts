import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { containerBootstrap } from '@nlpjs/core';
import { LangEn, StemmerEn } from '@nlpjs/lang-en';
import { LangEs, StemmerEs } from '@nlpjs/lang-es';
import { Nlp } from '@nlpjs/nlp';
import { LANGUAGES, type Language } from '../kit/texts';

/** What nlp.js's stemmers do for us: the words of a text, stemmed. */
interface Stemmer {
  tokenizeAndStem(text: string, keepStopwords: boolean): string[];
}

/**
 * Intent recognition in-process with nlp.js, trained from the corpus in
 * `nlu/` when the process first needs it, once for every bot the process
 * starts (sharedClassifier; about 1.5 s). Per language: nlp.js's neural
 * network, and the nearest utterance of the corpus over nlp.js's stems; a
 * text's typos are corrected against the corpus's words first. How well it
 * does on sentences it never saw: npm run nlu:eval (scripts/nluEval.ts).
 */

/** Where the corpus lives: nlu/en.json, nlu/es.json (training) and nlu/heldout.*.json (evaluation only). */
export const NLU_DIR = path.resolve(__dirname, '..', '..', 'nlu');

/** The languages understood are the languages spoken (kit/texts.ts). */
export { LANGUAGES, type Language };

/** What a person may mean by a sentence typed in chat. */
export const INTENTS = [
  'help',
  'cancel',
  'startOver',
  'helpDesk',
  'securityInfo.show',
  'securityInfo.add',
  'securityInfo.change',
  'securityInfo.delete',
  'securityInfo.default',
  'lostPhone',
  'lostApp',
  'newNumber',
  'codeNotWorking',
  'accessPass',
  'changeLanguage',
  /** Hello, start, continue: where the person is. */
  'greeting',
] as const;
export type Intent = (typeof INTENTS)[number];

/** A sentence the assistant is not for (the corpus's label; nlp.js says "None" when it knows no word of a text). */
export const NONE = 'none';
export type Label = Intent | typeof NONE;

export function isIntent(label: string): label is Intent {
  return (INTENTS as readonly string[]).includes(label);
}

/** A corpus file: nlp.js's own shape (locale, then utterances per intent). */
export interface Corpus {
  readonly locale: string;
  readonly data: ReadonlyArray<{ readonly intent: string; readonly utterances: readonly string[] }>;
}

export function readCorpus(file: string): Corpus {
  const corpus = JSON.parse(fs.readFileSync(path.resolve(NLU_DIR, file), 'utf8')) as Corpus;
  for (const { intent } of corpus.data) {
    if (intent !== NONE && !isIntent(intent)) throw new Error(`${file}: unknown intent "${intent}"`);
  }
  return corpus;
}

export interface Scored {
  readonly label: Label;
  /** From 0 to 1. */
  readonly score: number;
}

export interface Classification {
  /** The language of the text, as far as the classifier can tell (kept for replies in that language later). */
  readonly language: Language;
  /** Every label with a score, likeliest first. */
  readonly ranked: readonly Scored[];
}

/** Letters only Spanish has among the two. */
const SPANISH_LETTERS = /[ñ¿¡áéíóú]/i;
/** Longer texts are not what people type to a bot; the classifier reads the start. */
const MAX_TEXT = 300;
/** How much of a label's score is the neural network's; the rest is how close the nearest utterance of the label is. */
const NEURAL_SHARE = 0.5;

/** One language's model besides nlp.js's network: the corpus's words, and its utterances as stems. */
class LanguageModel {
  /** How often each word occurs in the corpus. */
  readonly words = new Map<string, number>();
  private readonly labels: Label[] = [];
  private readonly norms: number[] = [];
  /** For each stem, the utterances that hold it. */
  private readonly utterancesOf = new Map<string, number[]>();
  /** How telling each stem is: the rarer in the corpus, the more. */
  private readonly weights = new Map<string, number>();

  constructor(private readonly stemmer: Stemmer) {}

  add(text: string, label: Label): void {
    for (const word of wordsOf(text)) this.words.set(word, (this.words.get(word) ?? 0) + 1);
    const index = this.labels.push(label) - 1;
    for (const stem of this.stems(text)) {
      const holders = this.utterancesOf.get(stem) ?? [];
      if (holders.at(-1) !== index) holders.push(index);
      this.utterancesOf.set(stem, holders);
    }
  }

  /** Once every utterance is added: the weights of the stems and the lengths of the utterances. */
  finish(): void {
    const sums = this.labels.map(() => 0);
    for (const [stem, holders] of this.utterancesOf) {
      const weight = Math.log(1 + this.labels.length / holders.length) ** 2;
      this.weights.set(stem, weight);
      for (const index of holders) sums[index]! += weight;
    }
    this.norms.push(...sums.map((sum) => Math.sqrt(sum) || 1));
  }

  /**
   * The text with each word the corpus does not know replaced by the one it
   * knows that is a typo away (one letter added, dropped, changed or two
   * swapped; in a word of four letters only two swapped; a letter typed
   * three times or more counted once): "i lsot my phnoe" → "i lost my phone".
   */
  corrected(text: string): string {
    return wordsOf(text)
      .map((word) => (this.words.has(word) ? word : this.closestWord(word)))
      .join(' ');
  }

  private closestWord(word: string): string {
    const squeezed = word.replace(/(\p{L})\1{2,}/gu, '$1');
    if (this.words.has(squeezed)) return squeezed;
    if (word.length < 4) return word;
    // A short word one letter away is as often another word ("blue", "clue"): only two letters swapped count there.
    const isTypo = word.length < 5 ? isSwapAway : isOneTypoAway;
    let best: string | undefined;
    for (const [known, count] of this.words) {
      if (known.length < 4 || Math.abs(known.length - word.length) > 1) continue;
      if (isTypo(word, known) && (!best || count > this.words.get(best)!)) best = known;
    }
    return best ?? word;
  }

  /**
   * How close the nearest utterance of each label is to the text: the cosine
   * of their stems (each weighed by how telling it is).
   */
  similarity(text: string): Map<Label, number> {
    const stems = new Set(this.stems(text));
    const shared = new Map<number, number>();
    let norm = 0;
    for (const stem of stems) {
      const weight = this.weights.get(stem) ?? Math.log(1 + this.labels.length / 0.5) ** 2;
      norm += weight;
      for (const index of this.utterancesOf.get(stem) ?? []) shared.set(index, (shared.get(index) ?? 0) + weight);
    }
    const nearest = new Map<Label, number>();
    for (const [index, sum] of shared) {
      const cosine = sum / ((Math.sqrt(norm) || 1) * this.norms[index]!);
      const label = this.labels[index]!;
      if (cosine > (nearest.get(label) ?? 0)) nearest.set(label, cosine);
    }
    return nearest;
  }

  /** The stems of a text, and its words as typed (so that "borre", I deleted, stays apart from "borra", delete). */
  private stems(text: string): string[] {
    return [...this.stemmer.tokenizeAndStem(text, true), ...wordsOf(text).map((word) => `=${word}`)];
  }
}

/** Two neighbouring letters swapped ("lsot", "lost"). */
function isSwapAway(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const i = [...a].findIndex((c, k) => c !== b[k]);
  return i >= 0 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Damerau–Levenshtein distance of at most one. */
function isOneTypoAway(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export class IntentClassifier {
  private constructor(
    private readonly nlp: Nlp,
    private readonly models: ReadonlyMap<Language, LanguageModel>,
    /** How long training took, in milliseconds. */
    readonly trainingMs: number,
    /** How many utterances it learned from. */
    readonly utterances: number,
  ) {}

  static async train(corpora: readonly Corpus[]): Promise<IntentClassifier> {
    const started = performance.now();
    const container = containerBootstrap();
    container.use(LangEn);
    container.use(LangEs);
    // nlp.js logs to the console (each epoch, utterances of stop words only); the bot has its own log.
    container.register('logger', { debug() {}, info() {}, log() {}, warn() {}, error() {}, trace() {} }, true);
    const nlp = new Nlp({
      container,
      languages: [...LANGUAGES],
      autoLoad: false,
      autoSave: false,
      // Words the network never saw push a text towards None.
      nlu: { log: false, useNoneFeature: true },
    });
    const models = new Map<Language, LanguageModel>([
      ['en', new LanguageModel(new StemmerEn())],
      ['es', new LanguageModel(new StemmerEs())],
    ]);
    let utterances = 0;
    for (const corpus of corpora) {
      const language = asLanguage(corpus.locale.slice(0, 2));
      for (const { intent, utterances: texts } of corpus.data) {
        for (const text of texts) {
          nlp.addDocument(language, text, intent);
          models.get(language)!.add(text, isIntent(intent) ? intent : NONE);
        }
        utterances += texts.length;
      }
    }
    for (const model of models.values()) model.finish();
    await nlp.train();
    return new IntentClassifier(nlp, models, performance.now() - started, utterances);
  }

  /**
   * Scores a text with the models of its language (languageOf; the other
   * language's models are never asked: on a sentence in a language they do
   * not know, they find meaning in the few words they share), its typos
   * corrected first. A label's score is the mean of nlp.js's neural network's
   * and of how close the label's nearest utterance is: the network weighs
   * every word, the nearest utterance keeps words together.
   */
  async classify(text: string): Promise<Classification> {
    const typed = text.slice(0, MAX_TEXT);
    const language = this.languageOf(typed);
    const model = this.models.get(language)!;
    const corrected = model.corrected(typed);
    const neural = await this.neural(language, corrected);
    const nearest = model.similarity(corrected);
    const labels = new Set<Label>([...neural.keys(), ...nearest.keys()]);
    const ranked = [...labels]
      .map((label) => ({ label, score: NEURAL_SHARE * (neural.get(label) ?? 0) + (1 - NEURAL_SHARE) * (nearest.get(label) ?? 0) }))
      .sort((a, b) => b.score - a.score);
    return { language, ranked: ranked.length > 0 ? ranked : [{ label: NONE, score: 1 }] };
  }

  /**
   * The language of a text: the one more of whose words only its corpus
   * has, else Spanish for a letter only Spanish has, else nlp.js's guess.
   */
  languageOf(text: string): Language {
    return this.plainLanguageOf(text) ?? asLanguage(this.nlp.guessLanguage(text));
  }

  /**
   * The language a text is plainly in, or undefined when it could be either
   * (a number, a name, words both corpora have): more of its words are only
   * one corpus's, or it has a letter only Spanish has. Decides a person's
   * language from what they write (docs/i18n.md), so it never guesses.
   */
  plainLanguageOf(text: string): Language | undefined {
    const words = wordsOf(text);
    const [first, second] = LANGUAGES.map((language) => ({
      language,
      own: words.filter((w) => this.isOwnWord(language, w)).length,
    })).sort((a, b) => b.own - a.own);
    if (first && second && first.own > second.own) return first.language;
    return SPANISH_LETTERS.test(text) ? 'es' : undefined;
  }

  private isOwnWord(language: Language, word: string): boolean {
    return [...this.models].every(([l, model]) => model.words.has(word) === (l === language));
  }

  /** nlp.js's scores (its "None", a text of words it never saw, is ours too). */
  private async neural(language: Language, text: string): Promise<Map<Label, number>> {
    const { classifications } = await this.nlp.classify(language, text);
    const scores = new Map<Label, number>();
    for (const { intent, score } of classifications) {
      const label: Label = isIntent(intent) ? intent : NONE;
      scores.set(label, (scores.get(label) ?? 0) + score);
    }
    return scores;
  }
}

/** The words of a text, folded (lower case, no accents, no apostrophes). */
function wordsOf(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['\u2019`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

function asLanguage(locale: string | undefined): Language {
  return (LANGUAGES as readonly string[]).includes(locale ?? '') ? (locale as Language) : 'en';
}

/** The corpus the assistant learns from. */
export function trainingCorpora(): Corpus[] {
  return LANGUAGES.map((language) => readCorpus(`${language}.json`));
}

let shared: Promise<IntentClassifier> | undefined;

/**
 * The classifier of this process, trained the first time it is asked for
 * and shared by every bot the process starts (the tests start many).
 * A training that failed is tried again on the next call.
 */
export function sharedClassifier(): Promise<IntentClassifier> {
  if (!shared) {
    shared = IntentClassifier.train(trainingCorpora());
    shared.catch(() => {
      shared = undefined;
    });
  }
  return shared;
}
