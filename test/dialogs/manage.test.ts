import { Directory } from '../../src/state/directory';
import { cardText, choicesOf, fact, submitActions } from '../support/cards';
import { Chat, cardsOf, textsOf } from '../support/chat';
import { lastTextedCode, readOutbox } from '../support/outbox';
import { enrolled } from '../support/wizard';

const lastEmailCode = (chat: Chat) =>
  /\b(\d{6})\b/.exec(
    readOutbox(chat.outbox.file)
      .filter((e) => e.channel === 'email')
      .at(-1)!.body,
  )![1]!;

/** Enrolled, a minute ago (past the resend cooldown, within the step-up). */
async function enrolledAWhileAgo() {
  const { chat } = await enrolled();
  chat.clock.advance(61_000);
  return chat;
}

describe('manage mode', () => {
  it('"security info" shows the methods masked, the default, and whether the policy is met', async () => {
    const chat = await enrolledAWhileAgo();
    const [overview] = cardsOf(await chat.send('security info'));
    const text = cardText(overview);
    expect(text).toContain('Your security info is set up');
    expect(text).toContain('Default sign-in method:** Microsoft Authenticator – code');
    expect(text).toContain('+1 ••• ••• 0123');
    expect(text).not.toContain('2015550123');
    expect(fact(overview, 'Sign-in (MFA)')).toBe('meets the requirements');
    expect(fact(overview, 'Password reset')).toBe('meets the requirements');
    expect(submitActions(overview).map((a) => a.title)).toEqual([
      'Delete Authenticator app',
      'Change Phone',
      'Delete Phone',
      'Add sign-in method',
      'Change default',
      'Done',
      'I need help',
    ]);
  });

  it('a returning person gets the same overview instead of the wizard', async () => {
    const chat = await enrolledAWhileAgo();
    expect(cardText(cardsOf(await chat.send('hi'))[0])).toContain('Your security info is set up');
  });

  it('deleting the only authenticator app is refused with the reason; nothing changes', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('my methods');
    const replies = await chat.click('Delete Authenticator app');
    expect(textsOf(replies)).toEqual([
      "You can't delete your only authenticator app: your organization requires one to sign in. Add another one first, then delete this one.",
    ]);
    expect(cardsOf(replies)).toEqual([]);
  });

  it('deleting a method asks first and states the consequence; the change is told in chat, by text and in the audit log', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('security info');
    // An email, then an alternate phone made the default.
    await chat.click('Add sign-in method');
    await chat.click('Next', { method: 'email' });
    await chat.click('Next', { address: 'adele@fabrikam.com' });
    await chat.click('Next', { code: lastEmailCode(chat) });
    const afterEmail = await chat.click('Next');
    expect(textsOf(afterEmail)[0]).toMatch(/^Your security info changed: email added\. If this wasn't you/);
    await chat.click('Add sign-in method');
    await chat.click('Next', { method: 'alternatePhone' });
    await chat.click('Next', { country: 'US', number: '201 555 0177', method: 'sms' });
    await chat.click('Next', { code: lastTextedCode(chat.outbox.file, '+12015550177') });
    await chat.click('Next');

    const [choose] = cardsOf(await chat.click('Change default'));
    expect(choicesOf(choose, 'option')).toEqual([
      'Microsoft Authenticator – code',
      'Phone – call +1 ••• ••• 0123',
      'Phone – text +1 ••• ••• 0123',
      'Alternate phone – call +1 ••• ••• 0177',
      'Alternate phone – text +1 ••• ••• 0177',
    ]);
    const alternateText = String(JSON.stringify(choose).match(/"title":"Alternate phone – text[^"]*","value":"([^"]+)"/)![1]);
    const changed = await chat.click('Confirm', { option: alternateText });
    expect(textsOf(changed)[0]).toBe(
      "Your security info changed: default sign-in method is now Alternate phone – text +1 ••• ••• 0177. If this wasn't you, contact your help desk right away.",
    );

    const [ask] = cardsOf(await chat.click('Delete Alternate phone'));
    expect(cardText(ask)).toContain('Delete Alternate phone?');
    expect(cardText(ask)).toContain('Your default sign-in method will become Microsoft Authenticator – code.');
    const deleted = await chat.click('Delete');
    expect(textsOf(deleted)[0]).toMatch(/^Your security info changed: alternate phone deleted\./);
    const overview = cardsOf(deleted)[0];
    expect(cardText(overview)).not.toContain('0177');
    expect(cardText(overview)).toContain('Default sign-in method:** Microsoft Authenticator – code');
    // The phones and the email on file are told of the deletion, the deleted phone too (never with a code).
    const notices = readOutbox(chat.outbox.file).slice(-3);
    expect(notices.map((n) => [n.channel, n.to])).toEqual([
      ['sms', '+12015550123'],
      ['email', 'adele@fabrikam.com'],
      ['sms', '+12015550177'],
    ]);
    expect(notices[0]!.body).toMatch(/your security info changed \(alternate phone removed\)/);

    const audit = await chat.parts.audit.forUser('adele@contoso.com');
    expect(audit.map((e) => e.event)).toEqual([
      'method.added',
      'method.added',
      'method.added',
      'method.added',
      'default.changed',
      'method.deleted',
      'default.changed',
    ]);
  });

  it('changing a phone proves the new number first and replaces the old one', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('security info');
    const [phoneCard] = cardsOf(await chat.click('Change Phone'));
    expect(cardText(phoneCard)).toContain('What phone number would you like to use?');
    await chat.click('Next', { country: 'US', number: '201 555 0199', method: 'sms' });
    await chat.click('Next', { code: lastTextedCode(chat.outbox.file, '+12015550199') });
    const back = await chat.click('Next');
    expect(textsOf(back)[0]).toMatch(/^Your security info changed: phone changed\./);
    const [overview] = cardsOf(back);
    expect(cardText(overview)).toContain('+1 ••• ••• 0199');
    expect(cardText(overview)).not.toContain('+1 ••• ••• 0123');
  });

  it('an office phone is called (never texted), with its extension', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('security info');
    await chat.click('Add sign-in method');
    const [office] = cardsOf(await chat.click('Next', { method: 'officePhone' }));
    expect(cardText(office)).toContain('Office phone');
    expect(choicesOf(office, 'method')).toEqual([]);
    const [calling] = cardsOf(await chat.click('Next', { country: 'US', number: '425 555 0100', extension: '1234', method: 'sms' }));
    expect(cardText(calling)).toContain("We're calling +1 ••• ••• 0100 now.");
    expect(submitActions(calling).map((a) => a.title)).not.toContain('Text me a code instead');
    expect(readOutbox(chat.outbox.file).at(-1)).toMatchObject({ channel: 'voice', to: '+14255550100', extension: '1234' });
  });

  it('security questions: each broken rule is explained, answers are never echoed or kept in the chat state', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('security info');
    await chat.click('Add sign-in method');
    const [questions] = cardsOf(await chat.click('Next', { method: 'securityQuestions' }));
    expect(cardText(questions)).toContain('Choose 3 questions');
    const bad = { question1: 'q13', answer1: 'Rex', question2: 'q13', answer2: 'Lyon', question3: 'q3', answer3: 'Fiesta' };
    const refused = await chat.click('Done', bad);
    expect(textsOf(refused)).toEqual(['Question 2: you chose that question already. Choose a different one.']);
    expect(JSON.stringify(refused)).not.toContain('Lyon');
    const good = { ...bad, question2: 'q15' };
    const [saved] = cardsOf(await chat.click('Done', good));
    expect(cardText(saved)).toContain('Security questions saved');
    const stored = JSON.stringify(await chat.store.get('state', 'emulator:user-1'));
    expect(stored).not.toMatch(/Rex|Lyon|Fiesta/i);
  });
});

describe('the wizard follows the role', () => {
  const directory = new Directory([
    { upn: 'sam.student@contoso.edu', displayName: 'Sam Student', role: 'student', phones: [] },
    { upn: 'megan.bowen@contoso.com', displayName: 'Megan Bowen', role: 'admin', phones: [] },
  ]);

  it('a student is asked for a phone only; an employee for the app and a phone', async () => {
    const student = new Chat({ directory, upn: 'sam.student@contoso.edu', userId: 'sam' });
    await student.open();
    const [first] = cardsOf(await student.click('Next'));
    expect(cardText(first)).toContain('1 Phone');
    expect(cardText(first)).not.toContain('App');
    expect(cardText(first)).toContain('What phone number would you like to use?');

    const employee = new Chat({ directory });
    await employee.open();
    const [firstOfEmployee] = cardsOf(await employee.click('Next'));
    expect(cardText(firstOfEmployee)).toMatch(/1 App[\s\S]*2 Phone/);
  });

  it('"a different method" offers what the role enables: no security questions for admins', async () => {
    const admin = new Chat({ directory, upn: 'megan.bowen@contoso.com', userId: 'megan' });
    await admin.open();
    await admin.click('Next');
    const [choose] = cardsOf(await admin.click('I want to set up a different method'));
    expect(choicesOf(choose, 'method')).toEqual(['Authenticator app', 'Phone', 'Alternate phone', 'Office phone', 'Email']);
  });
});

describe('typed replies, as on a channel without cards', () => {
  it('a choice is picked by its number or its title, and a button keeps what it is for', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('security info');
    await chat.send('add sign-in method');
    // 1 Authenticator app, 2 Alternate phone, 3 Office phone, 4 Email, 5 Security questions, then the buttons.
    const [email] = cardsOf(await chat.send('4'));
    expect(cardText(email)).toContain('An email address you can reach');
    await chat.send('back');
    const [phone] = cardsOf(await chat.send('alternate phone'));
    expect(cardText(phone)).toContain('Alternate phone');
    await chat.send('cancel');
    await chat.send('security info');
    const [ask] = cardsOf(await chat.send('delete phone'));
    expect(ask).toBeUndefined(); // the only phone: refused, with the reason
    expect(textsOf(chat.adapter.shown.slice(-1))[0]).toMatch(/can't delete your only phone/);
  });
});
