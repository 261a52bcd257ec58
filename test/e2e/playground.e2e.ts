/**
 * The bot in a real client: Microsoft 365 Agents Playground (Teams channel) in headless Chromium,
 * driven as a person drives it. The QR code is read from the pixels on screen, texted and emailed codes
 * from the dev outbox. Screenshots of each card go to docs/screenshots (E2E_SCREENSHOT_DIR to change).
 *
 *   npx jest -c test/e2e/jest.e2e.config.js
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { appCodeFor } from '../support/authenticatorApp';
import { lastTextedCode } from '../support/outbox';
import { decodeQrPng } from '../support/qr';
import { eventually, lastEmailedCode } from './support/mail';
import type { PlaygroundChat } from './support/playgroundChat';
import { expectAccessible, type PlaygroundSession, startSession } from './support/session';

const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR ?? path.join(__dirname, '..', '..', 'docs', 'screenshots');

describe('the bot in Microsoft 365 Agents Playground (Teams channel), in Chromium', () => {
  let session: PlaygroundSession;
  let page: Page;
  let chat: PlaygroundChat;
  let outbox: string;

  beforeAll(async () => {
    session = await startSession(SCREENSHOTS);
    ({ page, chat, outbox } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('runs the wizard: the app from the QR code on screen, then the phone by a texted code', async () => {
    // The conversation opens with the welcome card, as in Teams.
    const welcome = await chat.waitForCard('More information required');
    await expect(welcome.textContent()).resolves.toMatch(/@/); // the person's UPN, from the Teams roster
    await chat.screenshot('01-more-information-required');
    await expectAccessible(chat);

    await chat.click('Next');
    await chat.waitForCard('Start by getting the app');
    await chat.screenshot('02-get-the-app');
    await expectAccessible(chat);

    await chat.click('Next');
    await chat.waitForCard('Set up your account');
    await chat.screenshot('03-set-up-account');
    await expectAccessible(chat);

    await chat.click('Next');
    const qrCard = await chat.waitForCard('Scan the QR code');
    const qr = qrCard.locator('img.ac-image');
    await qr.waitFor();
    // Wait until the image has really been drawn before looking at it.
    await expect(qr.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).resolves.toBeGreaterThan(0);
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(180);
    expect((await qr.getAttribute('alt'))?.trim()).toBeTruthy();
    await chat.screenshot('04-scan-qr-code');
    await expectAccessible(chat);
    // Every button of the card can be reached with the Tab key.
    const keyboard = await chat.tabThroughLastCard();
    expect(keyboard.buttons.length).toBeGreaterThanOrEqual(4);
    expect(keyboard.reached.sort()).toEqual([...keyboard.buttons].sort());

    // A phone camera pointed at the screen: the QR code is read from the pixels only.
    const uri = decodeQrPng(await qr.screenshot());
    expect(uri).toMatch(/^otpauth:\/\/totp\/Contoso:/);
    const secret = new URL(uri).searchParams.get('secret')!;

    // "Can't scan the QR code?": the account name and the same key, in groups of four, on the card itself (no toggle:
    // the Playground's Adaptive Cards renderer marks both of its toggles with ARIA a screen reader cannot use).
    await qrCard.getByText('Secret key', { exact: true }).waitFor();
    const shown = (await qrCard.textContent()) ?? '';
    expect(shown).toContain(secret.match(/.{1,4}/g)!.join(' '));
    expect(shown).toContain('Contoso: ');

    await chat.type('Enter the 6-digit code shown in the app', appCodeFor(uri, Date.now()));
    await chat.click('Next');
    await chat.waitForText('Your code was accepted');
    await chat.waitForCard('What phone number would you like to use?');
    // The QR card was replaced in the chat: the secret is no longer on the page.
    expect(await page.content()).not.toContain(secret);
    await expect(chat.page.locator('img.ac-image').count()).resolves.toBe(0);

    // Country: United States is preselected; "Text me a code" too.
    const phoneCard = chat.lastCard();
    await expect(phoneCard.getByRole('combobox', { name: /Country or region/ }).inputValue()).resolves.toBe('United States (+1)');
    await expect(phoneCard.getByRole('radio', { name: 'Text me a code', exact: true }).isChecked()).resolves.toBe(true);
    await chat.type('Phone number', '201 555 0123');
    await chat.screenshot('05-phone');
    await expectAccessible(chat);
    await chat.click('Next');
    await chat.waitForCard('We just sent a 6 digit code');
    await expect(chat.lastCard().textContent()).resolves.toContain('0123');
    await chat.screenshot('06-enter-code');
    await expectAccessible(chat);

    const texted = await eventually(() => lastTextedCode(outbox));
    await chat.type('Enter code', texted);
    await chat.click('Next');
    await chat.waitForCard('SMS verified');
    await expectAccessible(chat);
    await chat.click('Next');
    await chat.waitForCard('Success!');
    await chat.screenshot('07-success');
    await expectAccessible(chat);
    await chat.click('Done');
    await chat.waitForText('You are all set');

    await chat.send('security info');
    await chat.waitForCard('Your security info is set up');
    await chat.screenshot('08-manage');
    await expectAccessible(chat);
    const manageKeyboard = await chat.tabThroughLastCard();
    expect(manageKeyboard.reached.sort()).toEqual([...manageKeyboard.buttons].sort());
  });

  it('in manage mode, adds an email (proven by an emailed code) and deletes it', async () => {
    const address = 'adele@fabrikam.com';
    await chat.waitForCard('Your security info is set up');
    await chat.click('Add sign-in method');
    await chat.waitForCard('Which method would you like to use?');
    await expectAccessible(chat);
    await chat.choose('Email');
    await chat.click('Next');
    await chat.waitForCard('What email would you like to use?');
    await expectAccessible(chat);
    await chat.type('What email would you like to use?', address);
    await chat.click('Next');
    await chat.waitForCard('We just sent a 6 digit code');

    await chat.type('Enter code', await eventually(() => lastEmailedCode(outbox, address)));
    await chat.click('Next');
    await chat.waitForCard('Email verified');
    await chat.click('Next');
    const manage = await chat.waitForCard('Your security info is set up');
    await expect(manage.textContent()).resolves.toContain('Email');

    await chat.click('Delete Email');
    await chat.waitForCard('Delete Email?');
    await chat.screenshot('09-confirm-delete');
    await expectAccessible(chat);
    await chat.click('Delete');
    await chat.waitForText('Your security info changed: email deleted');
    const after = await chat.waitForCard('Your security info is set up');
    await expect(after.getByRole('button', { name: 'Delete Email', exact: true }).count()).resolves.toBe(0);
  });

  it('answers a click on an old card of the chat with where the person is, and changes nothing', async () => {
    const before = await chat.cards().count();
    await chat.cards().first().getByRole('button', { name: 'Next', exact: true }).click();
    await chat.waitForText('That card is no longer active');
    // The current screen again, as a new card after the old ones.
    const current = chat.cards().nth(before).filter({ hasText: 'Your security info is set up' });
    await current.waitFor();
    const text = (await current.textContent()) ?? '';
    expect(text).toContain('Delete Authenticator app');
    expect(text).toContain('Delete Phone');
    expect(text).not.toContain('Delete Email');
  });

  it('logged no error, and the page reached nothing but this machine', () => {
    expect(session.botLog.filter((l) => l.level >= 50)).toEqual([]);
    expect(session.pageErrors).toEqual([]);
    // Only the Playground's CDN fonts and animation script were asked for, and refused.
    expect(session.blocked.filter((u) => !u.startsWith('https://res-1.cdn.office.net/'))).toEqual([]);
  });
});
