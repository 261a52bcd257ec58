import fc from 'fast-check';
import { anyKey, codeLike, inputValue, junk, oddString } from './junk';

/**
 * Generated card submits: the `value` of a click, with the nonce of the card
 * in front of the person, an old one, or a forged one, an action and inputs.
 * The nonce is chosen when the case runs, from the cards the person was shown.
 */

/** Every action name some card carries (dialogs and the help desk's ticket card). */
export const KNOWN_ACTIONS = [
  'next',
  'back',
  'verify',
  'resend',
  'differentMethod',
  'differentApp',
  'microsoftApp',
  'choose',
  'send',
  'switchToSms',
  'done',
  'add',
  'change',
  'delete',
  'changeDefault',
  'confirm',
  'save',
  'redeem',
  'helpDesk',
  'claim',
  'close',
  'issuePass',
  'reregister',
  'message',
] as const;

/** A right-looking value for each input id some card has. */
const RIGHT_VALUES: Record<string, fc.Arbitrary<string>> = {
  code: codeLike,
  pass: fc.stringMatching(/^[A-Z2-9]{12}$/),
  country: fc.constantFrom('US', 'GB', 'CA', 'FR', 'us', 'XX', 'KP', ''),
  number: fc.constantFrom(
    '201 555 0123',
    '+1 201 555 0150',
    '(201) 555-0199',
    '900 555 0100',
    '800 555 0100',
    '+44 7400 123456',
    '12',
    '+',
  ),
  extension: fc.stringMatching(/^\d{0,8}$/),
  method: fc.constantFrom('sms', 'voice', 'phone', 'alternatePhone', 'officePhone', 'email', 'securityQuestions', 'authenticatorApp'),
  address: fc.constantFrom(
    'someone@example.com',
    'adele.vance@contoso.com',
    'a@b',
    'not an address',
    '@',
    'x@example.com\r\nBcc: y@example.com',
  ),
  option: fc.oneof(
    fc.constantFrom('', ':', 'x:text', 'x:call', ':code'),
    oddString.map((s) => `${s}:text`),
  ),
  proof: fc.oneof(
    fc.constantFrom('pass', 'app:', 'send:', 'app:x', 'send:x'),
    oddString.map((s) => `app:${s}`),
  ),
  methodId: oddString,
  question1: fc.stringMatching(/^q\d{1,2}$/),
  question2: fc.stringMatching(/^q\d{1,2}$/),
  question3: fc.stringMatching(/^q\d{1,2}$/),
  answer1: fc.constantFrom('blue', 'Fluffy the cat', 'Springfield', 'ab', 'x'.repeat(41)),
  answer2: fc.constantFrom('green', 'Rex', 'Shelbyville', 'ab'),
  answer3: fc.constantFrom('red', 'Tom', 'Ogdenville', 'ab'),
};

export const KNOWN_INPUTS = Object.keys(RIGHT_VALUES);

/** Which nonce a submit carries: the current card's, one of an older card, or made up. */
export type NonceChoice =
  | { readonly from: 'current' }
  | { readonly from: 'old'; readonly back: number }
  | { readonly from: 'forged'; readonly value: unknown };

export const nonceChoice: fc.Arbitrary<NonceChoice> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ from: 'current' as const }) },
  { weight: 2, arbitrary: fc.record({ from: fc.constant('old' as const), back: fc.nat(60) }) },
  { weight: 1, arbitrary: fc.record({ from: fc.constant('forged' as const), value: fc.oneof(oddString, junk) }) },
);

/** The nonce a choice stands for, given the nonces a person was shown (oldest first). */
export function resolveNonce(choice: NonceChoice, nonces: readonly string[]): unknown {
  switch (choice.from) {
    case 'current':
      return nonces.at(-1) ?? '';
    case 'old':
      return nonces.length > 1 ? nonces[Math.max(0, nonces.length - 2 - (choice.back % (nonces.length - 1)))] : 'never-shown';
    case 'forged':
      return choice.value;
  }
}

/** Inputs of a submit: right-looking and wrong values for the inputs cards have, and keys no card has. */
export const submitFields: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc
      .subarray(KNOWN_INPUTS, { maxLength: 6 })
      .chain((keys) => fc.tuple(...keys.map((key) => inputValue(RIGHT_VALUES[key]!).map((value) => [key, value] as const)))),
    fc.dictionary(anyKey, junk, { maxKeys: 3 }),
  )
  .map(([known, extra]) => {
    const fields: Record<string, unknown> = {};
    // defineProperty: "__proto__" and friends become own keys, as JSON.parse makes them.
    for (const [key, value] of [...Object.entries(extra), ...known]) {
      Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return fields;
  });

/** A generated click: which nonce, which action, which inputs. */
export interface SubmitPlan {
  readonly nonce: NonceChoice;
  /** An index into the card's own actions (when it is a number), or an action name, or a wrong type. */
  readonly action: number | unknown;
  readonly fields: Record<string, unknown>;
  /** For each choice input of the card, in order, which of its options to send (instead of `fields`' value); absent: none. */
  readonly choices?: readonly number[];
  /** Right-looking values for every input the card has (a form filled in as a person would), over `fields`; absent: only `fields`. */
  readonly filledIn?: Readonly<Record<string, string>>;
}

export const submitPlan: fc.Arbitrary<SubmitPlan> = fc.record(
  {
    nonce: nonceChoice,
    action: fc.oneof(
      { weight: 5, arbitrary: fc.nat(20) },
      { weight: 2, arbitrary: fc.constantFrom(...KNOWN_ACTIONS) },
      { weight: 1, arbitrary: fc.oneof(oddString, junk) },
    ),
    fields: submitFields,
    choices: fc.array(fc.nat(40), { maxLength: 6 }),
    filledIn: fc.record(RIGHT_VALUES),
  },
  { requiredKeys: ['nonce', 'action', 'fields'] },
);

/** A card's choice inputs and their options' values, in order. */
export type CardChoices = ReadonlyArray<{ readonly id: string; readonly values: readonly string[] }>;

/** The `value` a plan stands for, on a card with these actions, for a person shown these nonces. */
export function submitValue(
  plan: SubmitPlan,
  cardActions: readonly Record<string, unknown>[],
  nonces: readonly string[],
  cardChoices: CardChoices = [],
  cardInputs: readonly string[] = [],
): Record<string, unknown> {
  const own = typeof plan.action === 'number' && cardActions.length > 0 ? cardActions[plan.action % cardActions.length] : undefined;
  const value: Record<string, unknown> = { ...plan.fields };
  const filledIn = plan.filledIn;
  if (filledIn) for (const id of cardInputs) if (Object.hasOwn(filledIn, id)) value[id] = filledIn[id];
  cardChoices.forEach((input, i) => {
    const pick = plan.choices?.[i];
    if (pick !== undefined && input.values.length > 0) value[input.id] = input.values[pick % input.values.length];
  });
  for (const [key, v] of Object.entries(own ?? { action: plan.action })) {
    if (key !== 'card') Object.defineProperty(value, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  Object.defineProperty(value, 'card', { value: resolveNonce(plan.nonce, nonces), enumerable: true, writable: true, configurable: true });
  return value;
}
