import { type Language, t } from '../kit/texts';
import type { EmailProblem } from '../verification/email';
import { dialCode, type PhoneProblem } from '../verification/phone';
import type { DeliveryFailure } from '../verification/ports';
import type { CallOutcome } from '../verification/profile';

const regionNames = new Map<Language, Intl.DisplayNames>();

/** A country's name in the person's language ("Estados Unidos"). */
function countryName(country: string, language: Language): string {
  let names = regionNames.get(language);
  if (!names) {
    names = new Intl.DisplayNames([language], { type: 'region' });
    regionNames.set(language, names);
  }
  return names.of(country) ?? country;
}

const choicesByList = new Map<Language, WeakMap<readonly string[], ReadonlyArray<{ value: string; title: string }>>>();

/** The countries of a policy as a card's choices, by name ("United States (+1)"); made once per list and language (naming and sorting cost more than the rest of a turn). */
export function countryChoices(countries: readonly string[], language: Language): ReadonlyArray<{ value: string; title: string }> {
  let lists = choicesByList.get(language);
  if (!lists) {
    lists = new WeakMap();
    choicesByList.set(language, lists);
  }
  let choices = lists.get(countries);
  if (!choices) {
    choices = countries
      .map((value) => ({ value, title: `${countryName(value, language)} (${dialCode(value)})` }))
      .sort((a, b) => a.title.localeCompare(b.title, language));
    lists.set(countries, choices);
  }
  return choices;
}

/** Why a typed number was refused, in words a person can act on. */
export function phoneProblemMessage(problem: PhoneProblem, language: Language): string {
  switch (problem.problem) {
    case 'countryMismatch':
      return t(language, 'phone.problem.countryMismatch', {
        numberCountry: countryName(problem.numberCountry, language),
        chosenCountry: countryName(problem.chosenCountry, language),
      });
    case 'countryNotAllowed':
      return t(language, 'phone.problem.countryNotAllowed', { country: countryName(problem.country, language) });
    default:
      return t(language, `phone.problem.${problem.problem}`);
  }
}

/** Why a text or call could not go out. */
export function deliveryFailureMessage(failure: DeliveryFailure, permanent: boolean, language: Language): string {
  if (!permanent) return t(language, 'phone.delivery.notNow');
  return t(language, 'phone.delivery.permanent', { reason: t(language, `phone.delivery.${failure}`) });
}

/** How a verification call ended without the number being entered. */
export function callEndedMessage(outcome: CallOutcome, language: Language): string {
  return t(language, 'phone.callEnded', { what: t(language, `phone.call.${outcome}`) });
}

export function cooldownMessage(seconds: number, language: Language): string {
  return t(language, 'phone.cooldown', { seconds });
}

export function dailyLimitMessage(language: Language): string {
  return t(language, 'phone.dailyLimit');
}

/** Why an email address was refused. */
export function emailProblemMessage(problem: EmailProblem, language: Language): string {
  if (problem.problem === 'organisationDomain') return t(language, 'emailProblem.organisationDomain', { domain: problem.domain });
  return t(language, 'emailProblem.invalid');
}
