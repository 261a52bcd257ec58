/** The few parts of nlp.js (which ships no types) that conversation/nlu.ts uses. */

declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): unknown;
    register(name: string, value: unknown, isSingleton?: boolean): void;
  }
  export function containerBootstrap(): Container;
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpClassification {
    readonly intent: string;
    readonly score: number;
  }

  export class Nlp {
    constructor(settings?: Record<string, unknown> & { container?: Container });
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    guessLanguage(utterance: string): string | undefined;
    classify(locale: string, utterance: string): Promise<{ readonly classifications: readonly NlpClassification[] }>;
  }
}

declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
  export class StemmerEn {
    tokenizeAndStem(text: string, keepStopwords?: boolean): string[];
  }
}

declare module '@nlpjs/lang-es' {
  export const LangEs: unknown;
  export class StemmerEs {
    tokenizeAndStem(text: string, keepStopwords?: boolean): string[];
  }
}
