import { appCodeFor } from '../support/authenticatorApp';
import { cardText, fact, imageOf, submitActions } from '../support/cards';
import { appOnlyPolicy, Chat, cardsOf, textsOf } from '../support/chat';
import { decodeQrDataUri } from '../support/qr';

/** Walks a new person to the QR card; returns it with the otpauth URI read from the QR image. */
async function toQrCode(chat: Chat) {
  await chat.open();
  await chat.click('Next');
  await chat.click('Next');
  const [qrActivity] = await chat.click('Next');
  const card = chat.lastCard();
  const image = imageOf(card);
  const uri = decodeQrDataUri(String(image?.url));
  return { qrActivity: qrActivity!, card, uri, code: () => appCodeFor(uri, chat.clock.now()) };
}

describe('the wizard for a new person', () => {
  it('opens with "More information required", then walks the app steps as the browser wizard does', async () => {
    const chat = new Chat();
    const [welcome] = cardsOf(await chat.open());
    expect(cardText(welcome)).toContain('More information required');
    expect(cardText(welcome)).toContain('Your organization needs more information to keep your account secure');
    expect(cardText(welcome)).toContain('adele@contoso.com');

    const [getTheApp] = cardsOf(await chat.click('Next'));
    expect(cardText(getTheApp)).toContain('Keep your account secure');
    expect(cardText(getTheApp)).toMatch(/1 App[\s\S]*2 Phone/);
    expect(cardText(getTheApp)).toContain('Start by getting the app');
    expect(submitActions(getTheApp).map((a) => a.title)).toEqual([
      'I want to use a different authenticator app',
      'Back',
      'Next',
      'I want to set up a different method',
      'I need help',
    ]);

    const [setUp] = cardsOf(await chat.click('Next'));
    expect(cardText(setUp)).toContain('Set up your account');

    const [qr] = cardsOf(await chat.click('Next'));
    expect(cardText(qr)).toContain('Scan the QR code');
    const image = imageOf(qr)!;
    expect(image.altText).toMatch(/QR code/);
    expect(image.width).toBe('220px');
    const uri = new URL(decodeQrDataUri(String(image.url)));
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toBe('/Contoso:adele@contoso.com');
    expect(uri.searchParams.get('issuer')).toBe('Contoso');
    // "Can't scan the QR code?" holds the account name and the same secret, in groups of four.
    expect(fact(qr, 'Account name')).toBe('Contoso: adele@contoso.com');
    expect(fact(qr, 'Secret key')?.replace(/ /g, '')).toBe(uri.searchParams.get('secret'));
  });

  it('when the right code is entered, the QR card is replaced, Success lists the app, and Done finishes', async () => {
    const chat = new Chat({ policy: appOnlyPolicy });
    const { qrActivity, code, uri } = await toQrCode(chat);
    const replies = await chat.click('Next', { code: code() });
    const secret = new URL(uri).searchParams.get('secret')!;
    expect(textsOf(replies)).toContain('Your code was accepted: Microsoft Authenticator is registered.');

    const replaced = chat.current(qrActivity)!;
    const replacedCard = replaced.attachments?.[0]?.content;
    expect(cardText(replacedCard)).toContain('Microsoft Authenticator is registered.');
    const json = JSON.stringify(replaced);
    expect(json).not.toContain(secret);
    expect(json).not.toMatch(/otpauth|data:image/);

    const [success] = cardsOf(replies);
    expect(cardText(success)).toContain('Success!');
    expect(cardText(success)).toContain('Default sign-in method:** Microsoft Authenticator – code');
    expect(fact(success, 'Authenticator app')).toBe('Microsoft Authenticator');
    expect(textsOf(await chat.click('Done'))).toEqual([
      'You are all set. Your security info is up to date: you can close this chat, or say "security info" to see it.',
    ]);
    expect(chat.parts.service.isComplete((await chat.store.get<{ profile: never }>('state', 'emulator:user-1'))!.value.profile)).toBe(true);
  });

  it('takes the code typed as plain text, and buttons typed by title or number', async () => {
    const chat = new Chat({ policy: appOnlyPolicy });
    await chat.open();
    expect(cardText(cardsOf(await chat.send('next'))[0])).toContain('Start by getting the app');
    expect(cardText(cardsOf(await chat.send('3'))[0])).toContain('Set up your account'); // 1 different app, 2 Back, 3 Next
    const [qrActivity] = await chat.send('Next');
    const uri = decodeQrDataUri(String(imageOf(chat.lastCard())!.url));
    const replies = await chat.send(appCodeFor(uri, chat.clock.now()));
    expect(cardText(cardsOf(replies)[0])).toContain('Success!');
    expect(chat.current(qrActivity!)?.attachments?.[0]?.content).toBeDefined();
  });

  it('"I want to use a different authenticator app" names no brand and can come back to Microsoft Authenticator', async () => {
    const chat = new Chat();
    await chat.open();
    await chat.click('Next');
    const [setUp] = cardsOf(await chat.click('I want to use a different authenticator app'));
    expect(cardText(setUp)).toContain('In your app, add a new account.');
    expect(cardText(setUp)).not.toContain('Microsoft Authenticator\n');
    const [qr] = cardsOf(await chat.click('Next'));
    expect(cardText(qr)).toContain('Use the Authenticator app app'.replace(' app app', ' app'));
    await chat.click('Back');
    const [getTheApp] = cardsOf(await chat.click('I want to use Microsoft Authenticator'));
    expect(cardText(getTheApp)).toContain('install the Microsoft Authenticator app');
  });

  it('Back works on every step, and leaving the QR code removes it and voids it', async () => {
    const chat = new Chat();
    const { qrActivity, uri } = await toQrCode(chat);
    expect(cardText(cardsOf(await chat.click('Back'))[0])).toContain('Set up your account');
    expect(cardText(chat.current(qrActivity)!.attachments![0]!.content)).toContain('This QR code is no longer valid.');
    expect(chat.parts.service).toBeDefined();
    expect(cardText(cardsOf(await chat.click('Back'))[0])).toContain('Start by getting the app');
    expect(cardText(cardsOf(await chat.click('Back'))[0])).toContain('More information required');
    // The voided QR code's codes no longer work: a new QR code is made when the person comes back.
    await chat.click('Next');
    await chat.click('Next');
    await chat.click('Next');
    const fresh = decodeQrDataUri(String(imageOf(chat.lastCard())!.url));
    expect(new URL(fresh).searchParams.get('secret')).not.toBe(new URL(uri).searchParams.get('secret'));
  });
});

describe('wrong and odd input on the QR step', () => {
  it('a wrong code says how many tries are left; a malformed one asks for 6 digits and costs nothing', async () => {
    const chat = new Chat({ policy: appOnlyPolicy });
    const { code } = await toQrCode(chat);
    const wrong = code() === '000000' ? '111111' : '000000';
    expect(textsOf(await chat.click('Next', { code: wrong })).join()).toMatch(/didn't work.*4 tries left/);
    expect(textsOf(await chat.click('Next', { code: '12ab56' }))).toEqual([
      'A code has 6 digits, like 123456. Enter the code your app shows for this account.',
    ]);
    expect(textsOf(await chat.click('Next', { code: '' }))).toEqual([
      'Enter the 6-digit code that your app shows for this account, then choose Next.',
    ]);
    expect(textsOf(await chat.click('Next', { code: '1'.repeat(30) }))[0]).toMatch(/6 digits/);
    expect(cardText(cardsOf(await chat.click('Next', { code: code() }))[0])).toContain('Success!');
  });

  it('after 5 wrong codes the QR code is replaced by a new one with a new secret', async () => {
    const chat = new Chat({ policy: appOnlyPolicy });
    const { qrActivity, uri, code } = await toQrCode(chat);
    const wrong = code() === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) await chat.click('Next', { code: wrong });
    const replies = await chat.click('Next', { code: wrong });
    expect(textsOf(replies)[0]).toMatch(/Too many wrong codes: that QR code no longer works/);
    const fresh = decodeQrDataUri(String(imageOf(cardsOf(replies)[0])!.url));
    expect(new URL(fresh).searchParams.get('secret')).not.toBe(new URL(uri).searchParams.get('secret'));
    expect(cardText(chat.current(qrActivity)!.attachments![0]!.content)).toContain('no longer valid');
    // The old QR code's code is refused; the new one's works.
    await chat.click('Next', { code: appCodeFor(uri, chat.clock.now()) });
    expect(cardText(cardsOf(await chat.click('Next', { code: appCodeFor(fresh, chat.clock.now()) }))[0])).toContain('Success!');
  });

  it('a QR code left for 15 minutes expires; the next code gets a new QR code', async () => {
    const chat = new Chat();
    const { code } = await toQrCode(chat);
    chat.clock.advanceMinutes(16);
    const replies = await chat.click('Next', { code: code() });
    expect(textsOf(replies)[0]).toMatch(/That QR code has expired/);
    expect(imageOf(cardsOf(replies)[0])).toBeDefined();
  });

  it('10 wrong codes in a row lock verification and stop the wizard', async () => {
    const chat = new Chat();
    const { code } = await toQrCode(chat);
    const wrong = () => (code() === '000000' ? '111111' : '000000');
    let last: string[] = [];
    for (let i = 0; i < 10; i++) last = textsOf(await chat.send(wrong()));
    expect(last.join('\n')).toMatch(/verification is locked after too many wrong codes. You can try again in about 15 minutes/);
    expect(textsOf(await chat.send('hello')).join()).toBe('');
    expect(cardText(chat.lastCard())).toContain('More information required');
  });
});

describe('old cards, double clicks and junk', () => {
  it('a click on an old card gets "no longer active" and the current step again, never a double step', async () => {
    const chat = new Chat();
    await chat.open();
    const welcome = chat.lastCard();
    await chat.click('Next', {}, welcome);
    const replies = await chat.click('Next', {}, welcome); // the double click
    expect(textsOf(replies)).toEqual(['That card is no longer active. Here is where you are:']);
    expect(cardText(cardsOf(replies)[0])).toContain('Start by getting the app');
  });

  it('a code submitted twice from the same QR card registers the app once', async () => {
    const chat = new Chat();
    const { card, code } = await toQrCode(chat);
    const value = code();
    await chat.click('Next', { code: value }, card);
    const again = await chat.click('Next', { code: value }, card);
    expect(textsOf(again)[0]).toBe('That card is no longer active. Here is where you are:');
    const doc = await chat.store.get<{ profile: { methods: unknown[] } }>('state', 'emulator:user-1');
    expect(doc?.value.profile.methods).toHaveLength(1);
  });

  it('card data that is not ours gets the current step again; unknown words get the choices', async () => {
    const chat = new Chat();
    await chat.open();
    expect(textsOf(await chat.send({ foo: 'bar', action: 'next' }))).toEqual(['That card is no longer active. Here is where you are:']);
    const [reply] = textsOf(await chat.send('blue elephant'));
    expect(reply).toMatch(/Sorry, I didn't get that. Choose one of these/);
    expect(reply).toContain('1. Next');
  });

  it('a card clicked after the conversation ended starts afresh', async () => {
    const chat = new Chat();
    await chat.open();
    const welcome = chat.lastCard();
    await chat.send('cancel');
    const replies = await chat.click('Next', {}, welcome);
    expect(textsOf(replies)).toEqual(['That card is no longer active. Here is where you are:']);
    expect(cardText(cardsOf(replies)[0])).toContain('More information required');
  });
});

describe('help, cancel and start over', () => {
  it('help says what the bot can do and keeps the step', async () => {
    const chat = new Chat();
    await chat.open();
    await chat.click('Next');
    expect(textsOf(await chat.send('help'))[0]).toMatch(/I help you set up your security info/);
    expect(cardText(cardsOf(await chat.click('Next'))[0])).toContain('Set up your account');
  });

  it('cancel on the QR step removes the QR code and keeps nothing half done', async () => {
    const chat = new Chat();
    const { qrActivity, code } = await toQrCode(chat);
    expect(textsOf(await chat.send('cancel'))).toEqual([
      'OK, I stopped. Anything you finished is kept. Say "start" when you want to continue.',
    ]);
    expect(cardText(chat.current(qrActivity)!.attachments![0]!.content)).toContain('no longer valid');
    const doc = await chat.store.get<{ profile: { pendingApp?: unknown } }>('state', 'emulator:user-1');
    expect(doc?.value.profile.pendingApp).toBeUndefined();
    expect(textsOf(await chat.send(code()))).toEqual([]);
    expect(cardText(chat.lastCard())).toContain('More information required');
  });

  it('start over goes back to the first screen', async () => {
    const chat = new Chat();
    await toQrCode(chat);
    const replies = await chat.send('start over');
    expect(textsOf(replies)).toEqual(['OK, starting over.']);
    expect(cardText(cardsOf(replies)[0])).toContain('More information required');
  });
});

describe('a returning person', () => {
  it('whose security info is complete gets a summary instead of the wizard', async () => {
    const chat = new Chat({ policy: appOnlyPolicy });
    const { code } = await toQrCode(chat);
    await chat.click('Next', { code: code() });
    await chat.click('Done');
    const [summary] = cardsOf(await chat.send('hi'));
    expect(cardText(summary)).toContain('Your security info is set up');
    expect(cardText(summary)).toContain('Microsoft Authenticator – code');
  });

  it('"I want to set up a different method" offers the methods the policy enables', async () => {
    const chat = new Chat();
    await chat.open();
    await chat.click('Next');
    const [choose] = cardsOf(await chat.click('I want to set up a different method'));
    expect(cardText(choose)).toContain('Choose a different method');
    const [getTheApp] = cardsOf(await chat.click('Next', { method: 'authenticatorApp' }));
    expect(cardText(getTheApp)).toContain('Start by getting the app');
  });
});

describe('when something breaks mid-turn', () => {
  it('the person gets an apology with a reference, and the conversation resumes from the last good step', async () => {
    const chat = new Chat();
    await chat.open();
    await chat.click('Next');
    const put = chat.store.put.bind(chat.store);
    chat.store.put = async () => {
      throw new Error('disk full');
    };
    const [apology] = textsOf(await chat.click('Next'));
    expect(apology).toMatch(/^Sorry, something went wrong on my side\..*\(Reference: [0-9a-f]{8}\)$/);
    chat.store.put = put;
    // The failed turn was not saved: the person is still on "Start by getting the app".
    expect(cardText(cardsOf(await chat.send('next'))[0])).toContain('Set up your account');
  });
});

describe('when the store is busy', () => {
  it('the person is told to try again in a minute, and nothing of the turn is written', async () => {
    const { StoreThrottledError } = await import('../../src/storage/cosmosStore');
    const chat = new Chat();
    await chat.open();
    const put = chat.store.put.bind(chat.store);
    chat.store.put = async () => {
      throw new StoreThrottledError(new Error('429'));
    };
    const [busy] = textsOf(await chat.click('Next'));
    expect(busy).toMatch(/^The service is busy\. Please try again in a minute\. \(Reference: [0-9a-f]{8}\)$/);
    chat.store.put = put;
    expect(cardText(cardsOf(await chat.send('next'))[0])).toContain('Start by getting the app');
  });
});

describe('a conversation saved by an earlier version', () => {
  it('whose stack was nested in one component dialog ("main") goes on from the same card', async () => {
    const chat = new Chat();
    await chat.open();
    await chat.click('Next'); // "Start by getting the app"
    const stored = await chat.store.get<{ dialogs: Record<string, { dialogStack: unknown[] }> }>('state', 'emulator:user-1');
    const { value, etag } = stored!;
    value.dialogs.emulator = {
      dialogStack: [{ id: 'main', state: { dialogs: { dialogStack: value.dialogs.emulator!.dialogStack } }, version: '1' }],
    };
    await chat.store.put('state', 'emulator:user-1', value, { ifMatch: etag });

    const [setUp] = cardsOf(await chat.click('Next'));
    expect(cardText(setUp)).toContain('Set up your account');
    const [getTheApp] = cardsOf(await chat.click('Back'));
    expect(cardText(getTheApp)).toContain('Start by getting the app');
    const saved = await chat.store.get<{ dialogs: Record<string, { dialogStack: Array<{ id: string }> }> }>('state', 'emulator:user-1');
    expect(saved!.value.dialogs.emulator!.dialogStack.map((d) => d.id)).toEqual(['main.route', 'wizard', 'authenticatorApp']);
  });
});
