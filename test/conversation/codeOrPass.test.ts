import { looksLikeCodeOrPass } from '../../src/conversation/codeOrPass';
import { cryptoRandom, readableCode } from '../../src/verification/ports';

describe('what is never relayed between a person and the help desk', () => {
  it.each(['482913', '482 913', '48-29-13', '4 8 2 9 1 3', '482.913', 'my code is 482913, is that right?', 'code:482913', '４８２９１３'])(
    'a six-digit code, however it is spaced and wherever it is: %s',
    (text) => {
      expect(looksLikeCodeOrPass(text)).toBe(true);
    },
  );

  it.each([
    'ABCD-EFGH-JKMN',
    'abcd efgh jkmn',
    'ABCDEFGHJKMN',
    'abcdefghjkmn',
    'AB23 4567 89CD',
    'ABCD EFGHJKMN',
    'ABCD — EFGH — JKMN',
    'they gave me ABCD-EFGH-JKMN yesterday',
  ])('a Temporary Access Pass, letters only or not, in groups or not: %s', (text) => {
    expect(looksLikeCodeOrPass(text)).toBe(true);
  });

  it('every pass the service can issue, as shown to the agent or typed back in lower case', () => {
    for (let i = 0; i < 200; i++) {
      const pass = readableCode(cryptoRandom, 12);
      const shown = pass.match(/.{4}/g)!.join('-');
      expect([pass, shown, shown.toLowerCase(), shown.replace(/-/g, ' ')].filter((p) => !looksLikeCodeOrPass(p))).toEqual([]);
    }
  });

  it.each([
    'I lost my phone with the app on it',
    'Hi Adele, I will call you on the number we have on file.',
    'Call me on +1 425 555 0111 please',
    'my number ends in 0123',
    'about ticket HD-261130-K7QM',
    'I have 2 phones and 1 laptop',
    'the registration of my security info failed at 10:30',
    'is the organisation verification done?',
  ])("an ordinary sentence, a phone number or the conversation's own ticket number goes through: %s", (text) => {
    expect(looksLikeCodeOrPass(text, 'HD-261130-K7QM')).toBe(false);
  });
});
