import { CallResults } from '../../src/bot/callResults';
import { createLogger } from '../../src/kit/log';
import { t } from '../../src/kit/texts';
import { appCodeFor } from '../support/authenticatorApp';
import { cardText, imageOf, matchNumberIn, submitActions } from '../support/cards';
import { Chat, cardsOf, textsOf } from '../support/chat';
import { callTokenOf, lastCall, lastTextedCode, readOutbox } from '../support/outbox';
import { decodeQrDataUri } from '../support/qr';

const titles = (card: Record<string, unknown> | undefined) => submitActions(card).map((a) => a.title);

/** Someone who writes only Spanish, from "hola" to the end of the wizard. */
async function spanishWizard(chat: Chat) {
  const [welcome] = cardsOf(await chat.send('hola'));
  const [getTheApp] = cardsOf(await chat.click('Siguiente'));
  const [setUp] = cardsOf(await chat.click('Siguiente'));
  const [qr] = cardsOf(await chat.click('Siguiente'));
  const uri = decodeQrDataUri(String(imageOf(qr)!.url));
  const appDone = await chat.click('Siguiente', { code: appCodeFor(uri, chat.clock.now()) });
  const [phone] = cardsOf(appDone);
  const [enterCode] = cardsOf(await chat.click('Siguiente', { country: 'US', number: '201 555 0123', method: 'sms' }));
  const texted = readOutbox(chat.outbox.file).filter((e) => e.channel === 'sms');
  const [registered] = cardsOf(await chat.click('Siguiente', { code: lastTextedCode(chat.outbox.file) }));
  const [success] = cardsOf(await chat.click('Siguiente'));
  const done = await chat.click('Listo');
  return { welcome, getTheApp, setUp, qr, appDone, phone, enterCode, texted, registered, success, done };
}

describe('in Spanish', () => {
  it('a person who writes "hola" goes through the whole wizard in Spanish, to "¡Listo!"', async () => {
    const chat = new Chat();
    const steps = await spanishWizard(chat);
    expect(cardText(steps.welcome)).toContain('Se necesita más información');
    expect(titles(steps.welcome)).toEqual(['Siguiente', 'Necesito ayuda']);
    expect(cardText(steps.getTheApp)).toContain('Mantén tu cuenta segura');
    expect(cardText(steps.getTheApp)).toMatch(/1 Aplicación[\s\S]*2 Teléfono/);
    expect(cardText(steps.setUp)).toContain('Configura tu cuenta');
    expect(cardText(steps.qr)).toContain('Escanea el código QR');
    expect(imageOf(steps.qr)?.altText).toBe('Código QR que agrega tu cuenta de Contoso a Microsoft Authenticator');
    expect(textsOf(steps.appDone)).toContain('Se aceptó tu código: Microsoft Authenticator está registrada.');
    expect(cardText(steps.phone)).toContain('¿Qué número de teléfono quieres usar?');
    expect(cardText(steps.enterCode)).toContain('Acabamos de enviar un código de 6 dígitos a +1 ••• ••• 0123');
    // The code by text is in Spanish too, without the accents GSM-7 lacks.
    expect(steps.texted.at(-1)?.body).toMatch(/^\d{6} es tu codigo de verificacion de Contoso\./);
    expect(cardText(steps.registered)).toContain('SMS verificado');
    expect(cardText(steps.success)).toContain('¡Listo!');
    expect(cardText(steps.success)).toContain('**Método de inicio de sesión predeterminado:** Microsoft Authenticator: código');
    expect(textsOf(steps.done)).toEqual([t('es', 'wizard.allSet')]);
  });

  it("Teams' locale (es-MX) is the first guess: the first card is in Spanish before anything is typed", async () => {
    const chat = new Chat({ locale: 'es-MX' });
    const [welcome] = cardsOf(await chat.open());
    expect(cardText(welcome)).toContain('Se necesita más información');
    expect(titles(welcome)).toContain('Necesito ayuda');
  });

  it('"English" switches mid-step, showing the same screen again in English; "cambiar idioma" switches back', async () => {
    const chat = new Chat({ locale: 'es-MX' });
    await chat.open();
    await chat.click('Siguiente');
    const english = await chat.send('English');
    expect(textsOf(english)).toEqual([t('en', 'language.changed')]);
    expect(cardText(cardsOf(english)[0])).toContain('Start by getting the app');
    const spanish = await chat.send('cambiar idioma');
    expect(textsOf(spanish)).toEqual([t('es', 'language.changed')]);
    expect(cardText(cardsOf(spanish)[0])).toContain('Empieza por obtener la aplicación');
    // The choice stands: an English word later does not switch it back.
    expect(cardText(cardsOf(await chat.click('Siguiente'))[0])).toContain('Configura tu cuenta');
  });

  it('manage mode in Spanish: the overview, a refused deletion and a deletion with its notice', async () => {
    const chat = new Chat();
    await spanishWizard(chat);
    chat.clock.advance(61_000);
    const [overview] = cardsOf(await chat.send('información de seguridad'));
    expect(cardText(overview)).toContain('Tu información de seguridad está configurada');
    expect(cardText(overview)).toContain('Estos son los métodos que usas');
    expect(titles(overview)).toEqual(
      expect.arrayContaining(['Cambiar Teléfono', 'Eliminar Teléfono', 'Eliminar Aplicación de autenticación', 'Listo']),
    );
    expect(textsOf(await chat.send('Eliminar Teléfono'))).toEqual([
      'No puedes eliminar tu único teléfono: tu organización lo exige para iniciar sesión. Primero agrega otro y luego elimina este.',
    ]);
    // An email added, then deleted.
    await chat.click('Agregar método de inicio de sesión');
    await chat.click('Siguiente', { method: 'email' });
    await chat.click('Siguiente', { address: 'adele@fabrikam.com' });
    const email = readOutbox(chat.outbox.file)
      .filter((e) => e.channel === 'email')
      .at(-1);
    expect(email?.subject).toBe('Tu código de verificación de Contoso');
    const code = /\b(\d{6})\b/.exec(email?.body ?? '')![1]!;
    await chat.click('Siguiente', { code });
    const back = await chat.click('Siguiente');
    expect(textsOf(back)[0]).toMatch(/^Tu información de seguridad cambió: correo electrónico agregado\./);
    const [confirm] = cardsOf(await chat.click('Eliminar Correo electrónico'));
    expect(cardText(confirm)).toContain('¿Eliminar Correo electrónico?');
    expect(cardText(confirm)).toContain('Ya no podrás usar este método para restablecer tu contraseña.');
    expect(textsOf(await chat.click('Eliminar'))[0]).toMatch(/^Tu información de seguridad cambió: correo electrónico eliminado\./);
  });

  it('a wrong code, the help and the help desk answer in Spanish, without a keyword learnt', async () => {
    const chat = new Chat({ locale: 'es-ES' });
    await chat.open();
    await chat.click('Siguiente');
    await chat.click('Siguiente');
    await chat.click('Siguiente');
    expect(textsOf(await chat.click('Siguiente', { code: '000000' }))[0]).toMatch(/^Ese código no funcionó\./);
    expect(textsOf(await chat.send('¿qué puedes hacer?'))[0]).toMatch(/^Te ayudo a configurar tu información de seguridad/);
    expect(textsOf(await chat.send('quiero hablar con una persona')).join('\n')).toMatch(
      /Abrí el ticket HD-\d{6}-\w{4} del servicio de ayuda para ti\./,
    );
  });

  it('the verification call greets in Spanish, and the answered call moves the chat on in Spanish', async () => {
    const chat = new Chat({ locale: 'es-MX' });
    await chat.open();
    await chat.click('Siguiente');
    await chat.click('Siguiente');
    const [qr] = cardsOf(await chat.click('Siguiente'));
    await chat.click('Siguiente', { code: appCodeFor(decodeQrDataUri(String(imageOf(qr)!.url)), chat.clock.now()) });
    const [calling] = cardsOf(await chat.click('Siguiente', { country: 'US', number: '201 555 0123', method: 'voice' }));
    expect(cardText(calling)).toContain('Te estamos llamando al +1 ••• ••• 0123.');
    const call = lastCall(chat.outbox.file);
    expect(call.body).toMatch(/^Hola\. Te llamamos de Contoso para verificar tu teléfono/);
    const calls = new CallResults({
      state: chat.parts.state,
      service: chat.parts.service,
      log: createLogger('silent'),
      clock: chat.clock,
      wake: async () => {
        await chat.wake();
      },
    });
    // What the call says next (twilioVoice.ts) is in the person's language: the webhook learns it with the outcome.
    expect(await calls.keyPressed(callTokenOf(call), matchNumberIn(calling))).toEqual({ outcome: 'verified', language: 'es' });
    expect(cardText(chat.lastCard())).toContain('Llamada contestada');
  });
});
