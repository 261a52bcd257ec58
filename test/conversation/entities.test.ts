import { codeIn, looksLikeCodeOrPass } from '../../src/conversation/codeOrPass';
import { folded, methodKindsNamedIn, phoneNumberIn, valueForInput } from '../../src/conversation/entities';

const US = { defaultCountry: 'US', allowedCountries: ['US', 'CA', 'MX', 'ES'] };

describe('what a sentence names', () => {
  it.each([
    ['delete my old phone', ['phone', 'alternatePhone', 'officePhone']],
    ['remove the office phone', ['officePhone']],
    ['quita el telefono de la oficina', ['officePhone']],
    ['delete my backup phone', ['alternatePhone']],
    ['borra el telefono alternativo', ['alternatePhone']],
    ['I lost the Authenticator app', ['authenticatorApp']],
    ['elimina la aplicación autenticadora', ['authenticatorApp']],
    ['change my email address', ['email']],
    ['cambia mi correo', ['email']],
    ['update my security questions', ['securityQuestions']],
    ['start over', []],
  ])('"%s" names %j', (text, kinds) => {
    expect(methodKindsNamedIn(text)).toEqual(kinds);
  });

  it('folds case, accents and apostrophes', () => {
    expect(folded('No encontré mi TELÉFONO, don’t  worry')).toBe('no encontre mi telefono, dont worry');
  });

  it.each([
    ['my new number is (201) 555-0123', '(201) 555-0123'],
    ['call me on +1 425 555 0111 please', '+1 425 555 0111'],
    ['mi numero nuevo es +34 612 345 678', '+34 612 345 678'],
  ])('finds the phone number in "%s"', (text, number) => {
    expect(phoneNumberIn(text, US)).toBe(number);
  });

  it('finds no phone number in a sentence with two, or none', () => {
    expect(phoneNumberIn('either 201 555 0123 or 201 555 0177', US)).toBeUndefined();
    expect(phoneNumberIn('i have a new phone', US)).toBeUndefined();
  });

  it('finds the one code in a sentence, however it is spaced', () => {
    expect(codeIn('the code is 123 456')).toBe('123456');
    expect(codeIn('it says 12-34-56')).toBe('123456');
    expect(codeIn('１２３４５６')).toBe('123456');
    expect(codeIn('123456 or 654321')).toBeUndefined();
    expect(codeIn('ticket HD-261130-K7QM')).toBeUndefined();
  });

  it("a code or a pass anywhere in a message is recognised as one; a phone number or the conversation's ticket number is not", () => {
    const held = [
      '482 913',
      'my code is 48-29-13',
      'ABCD-EFGH-JKMN',
      'my code is 123,456',
      '123456 2',
      'ABCD,EFGH,JKMN',
      'A B C D E F G H J K M N',
    ];
    expect(held.filter((text) => !looksLikeCodeOrPass(text))).toEqual([]);
    const passed = ['Call me on +1 425 555 0111', 'about ticket HD-261130-K7QM', 'I lost my phone'];
    expect(passed.filter((text) => looksLikeCodeOrPass(text, 'HD-261130-K7QM'))).toEqual([]);
    // Another ticket number's "date" may be a code.
    expect(looksLikeCodeOrPass('HD-482913-AAAA', 'HD-261130-K7QM')).toBe(true);
  });
});

describe("what a typed reply puts in a card's input", () => {
  it('takes the number out of a sentence on the phone step, and keeps a number typed alone as typed', () => {
    expect(valueForInput('number', 'my new number is (201) 555-0123', US)).toBe('(201) 555-0123');
    expect(valueForInput('number', '201 555 0123', US)).toBe('201 555 0123');
    expect(valueForInput('number', '12', US)).toBe('12');
  });

  it('takes the code out of a sentence on a code step, and keeps a code typed with spaces or dashes as typed', () => {
    expect(valueForInput('code', 'the code is 123-456', US)).toBe('123456');
    expect(valueForInput('code', '123 456', US)).toBe('123 456');
    expect(valueForInput('code', '123-456', US)).toBe('123-456');
  });

  it('a sentence with no digit is no number and no code (it is read for what it means)', () => {
    expect(valueForInput('number', 'I lost the authenticator app', US)).toBeUndefined();
    expect(valueForInput('code', "my code doesn't work", US)).toBeUndefined();
    expect(valueForInput('code', 'abc', US)).toBe('abc');
    expect(valueForInput('address', 'my email is adele@fabrikam.com', US)).toBe('my email is adele@fabrikam.com');
  });
});
