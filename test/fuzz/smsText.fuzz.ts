import fc from 'fast-check';
import { toGsm7, toSmsMessages } from '../../src/presentation/smsText';
import { ErrorLog, fuzz, RejectionWatch } from './fuzzing';
import { anyText, oddString } from './junk';
import { fitsOneSegment } from './segments';

/** Replies as the bot may have to text them: the generated strings, long links, scripts without spaces, emoji, runs of blanks. */
const reply = fc
  .array(
    fc.oneof(
      anyText,
      oddString,
      fc.constantFrom(
        '\n',
        ' ',
        '   ',
        `https://aka.ms/${'x'.repeat(200)}`,
        '👩‍👩‍👧'.repeat(40),
        'é'.repeat(200),
        '字'.repeat(100),
        ' '.repeat(5_000),
        '\t'.repeat(5_000),
      ),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(' '));

describe('replies cut into text messages (presentation/smsText), generated', () => {
  const rejections = new RejectionWatch();
  beforeAll(() => rejections.start());
  afterAll(() => rejections.stop());

  it('every text fits one segment, none ends in blanks, the words stay in order, and the time grows with the length only', async () => {
    await fuzz(
      'smsText',
      reply,
      async (text) => {
        const started = performance.now();
        const texts = toSmsMessages(text);
        const ms = performance.now() - started;
        // Linear time: a 100,000-character reply is cut in well under a second; a backtracking pattern took seconds.
        if (ms > 250 + text.length / 100) throw new Error(`${text.length} characters took ${Math.round(ms)} ms`);
        for (const sent of texts) {
          if (!fitsOneSegment(sent)) throw new Error(`more than one segment: ${JSON.stringify(sent).slice(0, 200)}`);
          if (/\s$/.test(sent) || !sent.trim()) throw new Error(`a text that ends in blanks: ${JSON.stringify(sent).slice(0, 200)}`);
        }
        const words = (s: string) => s.split(/\s+/).join('');
        if (words(texts.join(' ')) !== words(toGsm7(text))) throw new Error(`the words changed: ${JSON.stringify(text).slice(0, 200)}`);
      },
      { rejections, errors: new ErrorLog(), url: () => '' },
      { rounds: 1 },
    );
  });
});
