import { type Language, readCatalog, t } from '../../src/kit/texts';
import { CardRenderer } from '../../src/presentation/cards';
import { GSM7_SEGMENT, smsLength, toGsm7, toSmsMessages } from '../../src/presentation/smsText';

/** What the SMS texts are filled with: the longest values they usually get. */
function valuesFor(language: Language): Record<string, string | number> {
  const phone = t(language, 'methodsInSentence.alternatePhone');
  return {
    orgName: 'Contoso',
    code: '123456',
    minutes: 10,
    masked: '+1 ••• ••• 0123',
    helpDesk: '+1 425 555 0100',
    change: t(language, 'change.added', { method: phone }),
    method: t(language, 'labels.signIn', {
      kind: t(language, 'methods.alternatePhone'),
      variant: t(language, 'labels.variant.text'),
      detail: '+1 ••• ••• 0123',
    }),
  };
}

/** Every text that goes out by SMS only: the sms section, and the two cards shown by text. */
const SMS_SECTIONS = ['sms', 'cards.smsMenu', 'cards.smsCode'] as const;

function smsKeys(): string[] {
  const en = readCatalog('en');
  return SMS_SECTIONS.flatMap((section) => {
    const texts = section.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], en) as Record<string, string>;
    return Object.keys(texts).map((key) => `${section}.${key}`);
  });
}

const segments = (text: string) => toSmsMessages(text).length;

describe('Spanish by SMS (docs/i18n.md: á í ó ú are sent unaccented; é ñ ü ¿ ¡ are GSM-7)', () => {
  it.each(smsKeys())('%s: the Spanish text is GSM-7, and one segment wherever the English one is', (key) => {
    const en = toGsm7(t('en', key, valuesFor('en')));
    const es = toGsm7(t('es', key, valuesFor('es')));
    expect(smsLength(es).segment).toBe(GSM7_SEGMENT);
    if (segments(en) === 1) expect({ key, segments: segments(es) }).toEqual({ key, segments: 1 });
  });

  it('keeps the letters GSM-7 has and folds the ones it lacks', () => {
    expect(toGsm7('¿Perdiste tu teléfono? ¡Configúralo otra vez! Año, pingüino, información, aquí')).toBe(
      '¿Perdiste tu teléfono? ¡Configuralo otra vez! Año, pingüino, informacion, aqui',
    );
  });

  it('the SMS menu in Spanish takes no more texts than in English', () => {
    const renderer = new CardRenderer();
    const data = { orgName: 'Contoso', canRegister: true, hasApp: true };
    const en = renderer.render('smsMenu', data, 'n', 'en').text;
    const es = renderer.render('smsMenu', data, 'n', 'es').text;
    expect(es).toContain('Registrar este teléfono');
    expect(toSmsMessages(es).length).toBeLessThanOrEqual(toSmsMessages(en).length);
    expect(toSmsMessages(es).every((message) => smsLength(message).segment === GSM7_SEGMENT)).toBe(true);
  });
});
