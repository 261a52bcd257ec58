import fc from 'fast-check';

/**
 * What the fuzz tests are made of: strings and values a client may send
 * instead of the ones the bot expects. Shared by every *.fuzz.ts.
 */

/** Characters that have broken parsers, templates, loggers and SMS encoders somewhere. */
const ODD_UNITS = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u202e', // right-to-left override
  '\u200b', // zero-width space
  '\ufeff', // byte order mark
  '\u2028', // line separator (breaks JavaScript string literals)
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '👩‍👩‍👧', // a family: one grapheme, eight UTF-16 units
  '🏳️‍🌈',
  'e\u0301', // e and a combining accent
  'İ', // lowercases to two characters
  'ß', // uppercases to two characters
  'ſ', // long s: uppercases to S
  '٣', // Arabic-Indic three: \d does not match it, Number() does not read it
  '０', // fullwidth zero
  '𝟘', // mathematical double-struck zero
  '€',
  '•',
  '\r\n',
  '\t',
  ' ',
  '"',
  "'",
  '`',
  '\\',
  '<',
  '&amp;',
  ']]>',
  '<script>alert(1)</script>',
  '$' + '{orgName}', // an Adaptive Card template binding
  '$' + '{$root.upn}',
  '{{x}}',
  '%s%n',
  '%00',
  '../',
  'javascript:',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  '-0',
  '1e309',
  '9007199254740993',
];

const oddUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_UNITS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
);

/** A short string of odd characters (lone surrogates, controls, template bindings, RTL marks...). */
export const oddString = fc.string({ unit: oddUnit, maxLength: 24 });

/** Sizes around the limits that matter: an SMS segment, the card value cap, the activity text cap, the body cap. */
const HUGE_SIZES = [161, 501, 1601, 10_000, 27_999, 28_001, 100_000];

/** A long string: one odd unit repeated to one of the sizes that are limits somewhere. */
export const hugeString = fc
  .tuple(fc.constantFrom(...HUGE_SIZES), oddUnit)
  .map(([size, unit]) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size));

/** A 10 KB string, the size the brief asks every card field to take. */
export const tenKilobytes = oddUnit.map((unit) => unit.repeat(Math.ceil(10_240 / unit.length)).slice(0, 10_240));

/** Words that mean something to the bot, from anywhere, and typed replies to a menu. */
export const meaningfulText = fc.constantFrom(
  'hi',
  'help',
  'cancel',
  'start over',
  'start',
  'security info',
  'menu',
  'help desk',
  'end chat',
  'temporary access pass',
  'stop',
  'START',
  'info',
  'yes',
  'Next',
  'Back',
  '1',
  '2',
  '3',
  '4',
  '5',
  '9',
  '0',
  '99',
  '123456',
  '123 456',
  '000000',
  ' 654321 ',
  '12345',
  '1234567',
  '+12015550123',
  '201 555 0123',
);

/** Any string a client may type. */
export const anyText = fc.oneof(
  { weight: 4, arbitrary: meaningfulText },
  { weight: 4, arbitrary: oddString },
  { weight: 1, arbitrary: hugeString },
);

/** Object keys that have broken `obj[key]` lookups. */
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'then', 'length', ''];

/** A key of an object: ordinary, odd or one of the prototype's own names. */
export const anyKey = fc.oneof(fc.constantFrom(...NASTY_KEYS), oddString, fc.string({ maxLength: 8 }));

/** A JSON number a schema did not expect: huge, negative, fractional. */
const oddNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1e21, -1e21, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2, 1e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/**
 * Objects that break code treating them as strings: a `length` that cannot be
 * compared (it is an object whose toString is not a function), a `toString`
 * that is not a function. JSON can carry them; `JSON.parse` makes them.
 */
export const poisoned = fc.constantFrom<unknown>(
  { length: { toString: null, valueOf: null } },
  { length: { toString: {} } },
  { toString: null, valueOf: null },
  { length: 1e9 },
  { length: -1 },
);

/** Any JSON value, nested a few levels: what a client may put where an object or string belongs. */
export const junk: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    poisoned,
    fc.boolean(),
    oddNumber,
    anyText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A property that is absent from the object it is generated for. */
export const ABSENT = Symbol('absent');

/**
 * A field of a generated object: mostly a value of the right kind, sometimes
 * one of the wrong type, sometimes absent.
 */
export function field<T>(good: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown> = junk): fc.Arbitrary<T | unknown | typeof ABSENT> {
  return fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: wrong }, { weight: 1, arbitrary: fc.constant(ABSENT) });
}

/** The object without its ABSENT fields (JSON would drop `undefined` anyway; ABSENT says it on purpose). */
export function present<T extends Record<string, unknown>>(object: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== ABSENT));
}

/** A string value of a card input: the kinds of wrong the brief lists, and sometimes a right one. */
export function inputValue(right: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: right },
    { weight: 3, arbitrary: oddString },
    { weight: 1, arbitrary: tenKilobytes },
    { weight: 1, arbitrary: oddNumber },
    { weight: 1, arbitrary: fc.array(fc.oneof(right, oddString), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(anyKey, junk, { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  );
}

/** A code as a person types it: right-shaped, nearly right, or not a code at all. */
export const codeLike = fc.oneof(
  fc.stringMatching(/^\d{6}$/),
  fc.stringMatching(/^ ?\d{3}[ -]?\d{3} ?$/),
  fc.stringMatching(/^\d{1,9}$/),
  fc.constantFrom('٣٣٣٣٣٣', '１２３４５６', '12345６', '+123456', '-123456', '1e5', '0x1E240', '123456\u0000'),
);

/** What a raw client sends as a header for this text: its UTF-8 bytes read as Latin-1, without the controls no HTTP client sends. */
export function headerValue(text: string): string {
  return [...Buffer.from(text).toString('latin1')].filter((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f).join('');
}

/** A string as a path segment: every UTF-8 byte percent-encoded (a lone surrogate as U+FFFD's bytes, as a client sends it). */
export function bytewise(text: string): string {
  return [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
}
