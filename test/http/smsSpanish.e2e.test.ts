import { smsLength } from '../../src/presentation/smsText';
import { FrozenClock } from '../support/clock';
import { numberOf, SAM, SmsBot } from '../support/smsBot';
import type { TwilioDouble } from '../support/twilioDouble';

describe('the assistant by SMS in Spanish (Twilio webhook, the real SDK against a local double)', () => {
  let sms: SmsBot;
  let double: TwilioDouble;
  const clock = new FrozenClock(Date.now());

  beforeAll(async () => {
    sms = await SmsBot.start({ clock });
    ({ double } = sms);
  });
  afterAll(() => sms.stop());

  const text = (...args: Parameters<SmsBot['text']>) => sms.text(...args);
  const textedCode = (to: string) => sms.textedCode(to);

  it('a first text in Spanish: the menu, the code text and every reply are in Spanish, each in one GSM-7 segment', async () => {
    const menu = await text(SAM.phone, 'hola');
    expect(menu.all).toBe(
      [
        'Contoso: tu informacion de seguridad',
        'Responde con un numero:',
        '1. Registrar este teléfono',
        '2. Configurar una app de autenticacion',
        '3. Ver mi informacion de seguridad',
        '4. Listo',
        '5. Necesito ayuda',
      ].join('\n'),
    );
    const sent = await text(SAM.phone, numberOf(menu.all, 'Registrar este teléfono'));
    expect(sent.all).toContain('Enviamos un codigo de 6 digitos al +1 *** *** 0142. Respondenos con él.');
    // The code itself, by text, in Spanish.
    const body = double.messages().at(-1)?.form.Body ?? '';
    expect(body).toMatch(/^\d{6} es tu codigo de verificacion de Contoso\. Caduca en \d+ minutos\. No lo compartas con nadie\.$/);

    expect((await text(SAM.phone, '000000')).all).toContain('Ese codigo no funciono');
    const registered = await text(SAM.phone, textedCode(SAM.phone));
    expect(registered.all).toContain('Tu teléfono +1 *** *** 0142 esta registrado.');

    for (const message of [body, ...menu.messages, ...sent.messages, ...registered.messages]) {
      expect(smsLength(message)).toEqual({ length: message.length, segment: 160 });
    }
  });

  it('the language stays with the person: texts later in English words are still answered in Spanish; ENGLISH switches, ESPAÑOL switches back', async () => {
    const menu = await text(SAM.phone, 'menu');
    expect(menu.all).toContain('Responde con un numero:');
    const english = await text(SAM.phone, 'ENGLISH');
    expect(english.all).toContain("OK, I'll speak English from now on.");
    expect(english.all).toContain('Reply with a number:');
    const spanish = await text(SAM.phone, 'ESPAÑOL');
    expect(spanish.all).toContain('De acuerdo, a partir de ahora te hablo en español.');
    expect(spanish.all).toContain('Responde con un numero:');
  });

  it('reaches the help desk in their own words, and hears back in Spanish', async () => {
    const reply = await text(SAM.phone, 'necesito hablar con una persona');
    expect(reply.all).toMatch(/Abri el ticket HD-\d{6}-\w{4} del servicio de ayuda para ti\./);
  });
});
