import { appCodeFor } from './authenticatorApp';
import { imageOf } from './cards';
import { Chat } from './chat';
import { lastTextedCode } from './outbox';
import { decodeQrDataUri } from './qr';

/** Opens the chat and goes through the app's steps, as a person does: returns the QR code's URI and the replies to its first code. */
export async function throughTheApp(chat: Chat) {
  await chat.open();
  await chat.click('Next');
  await chat.click('Next');
  await chat.click('Next');
  const uri = decodeQrDataUri(String(imageOf(chat.lastCard())!.url));
  const replies = await chat.click('Next', { code: appCodeFor(uri, chat.clock.now()) });
  return { uri, replies };
}

/** A person who went through the whole default wizard: app, then phone by text, then Done. */
export async function enrolled(chat = new Chat()) {
  const { uri } = await throughTheApp(chat);
  await chat.click('Next', { country: 'US', number: '201 555 0123', method: 'sms' });
  await chat.click('Next', { code: lastTextedCode(chat.outbox.file) });
  await chat.click('Next');
  await chat.click('Done');
  return { chat, uri };
}
