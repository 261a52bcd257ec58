import type { EmailProblem } from '../verification/email';
import { dialCode, type PhoneProblem } from '../verification/phone';
import type { DeliveryFailure } from '../verification/ports';
import type { CallOutcome } from '../verification/profile';

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

/** "United States (+1)". */
function countryLabel(country: string): string {
  return `${regions.of(country) ?? country} (${dialCode(country)})`;
}

const choicesByList = new WeakMap<readonly string[], ReadonlyArray<{ value: string; title: string }>>();

/** The countries of a policy as a card's choices, by name; made once per list (naming and sorting cost more than the rest of a turn). */
export function countryChoices(countries: readonly string[]): ReadonlyArray<{ value: string; title: string }> {
  let choices = choicesByList.get(countries);
  if (!choices) {
    choices = countries.map((value) => ({ value, title: countryLabel(value) })).sort((a, b) => a.title.localeCompare(b.title));
    choicesByList.set(countries, choices);
  }
  return choices;
}

function countryName(country: string): string {
  return regions.of(country) ?? country;
}

/** Why a typed number was refused, in words a person can act on. */
export function phoneProblemMessage(problem: PhoneProblem): string {
  switch (problem.problem) {
    case 'notANumber':
      return "That doesn't look like a phone number. Type the digits of your number, like 425 555 0100.";
    case 'tooShort':
      return 'That number is too short. Check it and type the whole number.';
    case 'tooLong':
      return 'That number is too long. Check it and type it again.';
    case 'invalid':
      return "That isn't a valid phone number for the country you chose. Check the number and the country.";
    case 'unknownCountry':
      return 'Choose the country or region of your phone number from the list.';
    case 'countryMismatch':
      return `That number is from ${countryName(problem.numberCountry)}, but you chose ${countryName(problem.chosenCountry)}. Choose the right country, or type the number without its country code.`;
    case 'countryNotAllowed':
      return `Your organization doesn't allow texts or calls to ${countryName(problem.country)} numbers. Use another number, or set up a different method.`;
    case 'notAPersonalNumber':
      return "That number can't be used: toll-free, premium-rate and shared numbers aren't allowed. Use your own mobile or landline number.";
    case 'cannotReceiveTexts':
      return 'That looks like a landline, which can\'t receive texts. Choose "Call me" instead, or use a mobile number.';
  }
}

/** Why a text or call could not go out. */
export function deliveryFailureMessage(failure: DeliveryFailure, permanent: boolean): string {
  if (!permanent) return "We couldn't reach our phone service just now. Please try again in a minute.";
  const reason: Record<DeliveryFailure, string> = {
    invalidNumber: 'Our phone service says this number does not exist.',
    notMobile: "This number can't receive texts.",
    unreachable: "Our phone service can't reach this number.",
    optedOut: 'This number has opted out of our texts (it replied STOP). Reply START to us from that phone to opt back in.',
    rejected: 'Our phone service refused to send to this number.',
    unavailable: "We couldn't reach our phone service just now.",
  };
  return `${reason[failure]} Choose "Call me" or "Text me a code" instead, use another number, or set up a different method.`;
}

/** How a verification call ended without the number being entered. */
export function callEndedMessage(outcome: CallOutcome): string {
  const what: Record<CallOutcome, string> = {
    noAnswer: "The call wasn't answered.",
    busy: 'The line was busy.',
    failed: "The call couldn't be completed.",
    wrongKey: 'The number entered on the call was not the one shown here, so your phone was not verified.',
    hungUp: 'The call ended before # was pressed.',
  };
  return `${what[outcome]} Choose "Call me again", or "Text me a code instead".`;
}

export function cooldownMessage(seconds: number): string {
  return `Please wait ${seconds} second${seconds === 1 ? '' : 's'} before asking for another code or call.`;
}

export const DAILY_LIMIT_MESSAGE =
  "You've reached the most texts and calls we can send in a day. Try again tomorrow, set up a different method, or contact the help desk.";

/** Why an email address was refused. */
export function emailProblemMessage(problem: EmailProblem): string {
  if (problem.problem === 'organisationDomain') {
    return `Use a personal email address, not one at ${problem.domain}: you need to reach it when you can't sign in.`;
  }
  return "That doesn't look like an email address. Type it like name@example.com.";
}
