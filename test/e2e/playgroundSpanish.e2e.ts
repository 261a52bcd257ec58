/**
 * Someone who writes only Spanish and uses only a keyboard, in Microsoft 365 Agents Playground (Teams channel) in
 * headless Chromium: from "hola" to "¡Listo!", then manage mode and the help desk, every card checked by axe-core
 * and at 200% zoom. Screenshots of each card go to docs/screenshots/es (E2E_SCREENSHOT_DIR to change).
 *
 *   npx jest -c test/e2e/jest.e2e.config.js test/e2e/playgroundSpanish.e2e.ts
 */
import path from 'node:path';
import { appCodeFor } from '../support/authenticatorApp';
import { lastTextedCode } from '../support/outbox';
import { decodeQrPng } from '../support/qr';
import { eventually, lastEmailedCode } from './support/mail';
import type { PlaygroundChat } from './support/playgroundChat';
import { expectAccessible, type PlaygroundSession, startSession } from './support/session';

const SCREENSHOTS = path.join(process.env.E2E_SCREENSHOT_DIR ?? path.join(__dirname, '..', '..', 'docs', 'screenshots'), 'es');

describe('in Spanish, by keyboard alone, in the Playground', () => {
  let session: PlaygroundSession;
  let chat: PlaygroundChat;

  beforeAll(async () => {
    session = await startSession(SCREENSHOTS);
    chat = session.chat;
  });

  afterAll(async () => {
    await session?.close();
  });

  it('"hola" turns the wizard to Spanish, and the keyboard alone takes it to "¡Listo!"', async () => {
    // The Playground's locale is English: the first card is, until the person writes.
    await chat.waitForCard('More information required');
    await chat.sendByKeyboard('hola');
    await chat.waitForCard('Se necesita más información');
    await chat.waitForText('¡Hola! Aquí es donde estás:');
    await chat.screenshot('01-se-necesita-mas-informacion');
    await expectAccessible(chat);

    await chat.pressByKeyboard('Siguiente');
    await chat.waitForCard('Empieza por obtener la aplicación');
    await chat.screenshot('02-obtener-la-aplicacion');
    await expectAccessible(chat);

    await chat.pressByKeyboard('Siguiente');
    await chat.waitForCard('Configura tu cuenta');
    await chat.screenshot('03-configura-tu-cuenta');
    await expectAccessible(chat);

    await chat.pressByKeyboard('Siguiente');
    const qrCard = await chat.waitForCard('Escanea el código QR');
    const qr = qrCard.locator('img.ac-image');
    await expect(qr.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).resolves.toBeGreaterThan(0);
    expect(await qr.getAttribute('alt')).toBe('Código QR que agrega tu cuenta de Contoso a Microsoft Authenticator');
    await chat.screenshot('04-escanea-el-codigo-qr');
    await expectAccessible(chat);
    // The phone's camera reads the QR code; the key is on the card too, in groups of four, for who cannot scan.
    const uri = decodeQrPng(await qr.screenshot());
    const secret = new URL(uri).searchParams.get('secret')!;
    await expect(qrCard.textContent()).resolves.toContain(secret.match(/.{1,4}/g)!.join(' '));
    await chat.typeByKeyboard('Escribe el código de 6 dígitos que muestra la aplicación', appCodeFor(uri, Date.now()));
    await chat.pressByKeyboard('Siguiente');
    await chat.waitForText('Se aceptó tu código');

    await chat.waitForCard('¿Qué número de teléfono quieres usar?');
    await chat.typeByKeyboard('Número de teléfono', '201 555 0123');
    await chat.screenshot('05-telefono');
    await expectAccessible(chat);
    await chat.pressByKeyboard('Siguiente');

    await chat.waitForCard('Acabamos de enviar un código de 6 dígitos');
    await chat.screenshot('06-escribe-el-codigo');
    await expectAccessible(chat);
    const texted = await eventually(() => lastTextedCode(session.outbox));
    await chat.typeByKeyboard('Escribe el código', texted);
    await chat.pressByKeyboard('Siguiente');

    await chat.waitForCard('SMS verificado');
    await expectAccessible(chat);
    await chat.pressByKeyboard('Siguiente');

    await chat.waitForCard('¡Listo!');
    await chat.screenshot('07-listo');
    await expectAccessible(chat);
    await chat.pressByKeyboard('Listo');
    await chat.waitForText('Todo listo.');
  });

  it('manage mode in Spanish, by keyboard: an email added, proven and deleted', async () => {
    await chat.sendByKeyboard('información de seguridad');
    await chat.waitForCard('Tu información de seguridad está configurada');
    await chat.screenshot('08-informacion-de-seguridad');
    await expectAccessible(chat);

    await chat.pressByKeyboard('Agregar método de inicio de sesión');
    await chat.waitForCard('¿Qué método quieres usar?');
    await expectAccessible(chat);
    await chat.chooseByKeyboard('Correo electrónico');
    await chat.pressByKeyboard('Siguiente');

    await chat.waitForCard('¿Qué correo electrónico quieres usar?');
    await expectAccessible(chat);
    await chat.typeByKeyboard('¿Qué correo electrónico quieres usar?', 'adele@fabrikam.com');
    await chat.pressByKeyboard('Siguiente');
    await chat.waitForCard('Acabamos de enviar un código de 6 dígitos');
    await chat.typeByKeyboard('Escribe el código', await eventually(() => lastEmailedCode(session.outbox, 'adele@fabrikam.com')));
    await chat.pressByKeyboard('Siguiente');
    await chat.waitForCard('Correo electrónico verificado');
    await expectAccessible(chat);
    await chat.pressByKeyboard('Siguiente');

    await chat.waitForText('correo electrónico agregado');
    await chat.waitForCard('Tu información de seguridad está configurada');
    await chat.pressByKeyboard('Eliminar Correo electrónico');
    await chat.waitForCard('¿Eliminar Correo electrónico?');
    await chat.screenshot('09-eliminar');
    await expectAccessible(chat);
    await chat.pressByKeyboard('Eliminar');
    await chat.waitForText('correo electrónico eliminado');
  });

  it('reaches the help desk in their own words, answered in Spanish', async () => {
    await chat.sendByKeyboard('necesito hablar con una persona');
    await chat.waitForText(/Abrí el ticket HD-\d{6}-\w{4} del servicio de ayuda para ti\./);
  });

  it('logged no error, and the page reached nothing but this machine', () => {
    expect(session.botLog.filter((l) => l.level >= 50)).toEqual([]);
    expect(session.pageErrors).toEqual([]);
    expect(session.blocked.filter((u) => !u.startsWith('https://res-1.cdn.office.net/'))).toEqual([]);
  });
});
