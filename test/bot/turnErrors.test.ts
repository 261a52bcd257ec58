import { Writable } from 'node:stream';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter } from 'botbuilder';
import { DialogSet, WaterfallDialog } from 'botbuilder-dialogs';
import { turnErrorHandler } from '../../src/bot/turnErrors';
import { AppError, PreconditionFailedError } from '../../src/kit/errors';
import { createLogger } from '../../src/kit/log';
import { StoreThrottledError } from '../../src/storage/cosmosStore';
import { StoreBusyError } from '../../src/storage/sqliteStore';
import { cryptoRandom } from '../../src/verification/ports';

/** A turn whose dialog throws `error` on its first step (with `typed` in its state), with the app's error handler. */
function adapterThrowingInADialog(error: Error, log = createLogger('silent'), typed = ''): TestAdapter {
  const state = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(state.createProperty('dialogs'));
  dialogs.add(
    new WaterfallDialog('failing', [
      async (step) => {
        (step.values as Record<string, string>).typed = typed;
        throw error;
      },
    ]),
  );
  const adapter = new TestAdapter(async (context) => {
    const dc = await dialogs.createContext(context);
    await dc.beginDialog('failing');
  });
  adapter.onTurnError = turnErrorHandler(log, cryptoRandom);
  return adapter;
}

async function replyTo(adapter: TestAdapter): Promise<string> {
  let reply = '';
  await adapter.send({ type: ActivityTypes.Message, text: 'hi' }).assertReply((activity) => {
    reply = String(activity.text);
  });
  return reply;
}

describe('the turn error handler, for an error thrown inside a dialog (botbuilder-dialogs wraps it)', () => {
  it.each([
    ['Cosmos DB throttling', new StoreThrottledError(new Error('429'))],
    ['a SQLite file locked by another connection', new StoreBusyError(new Error('SQLITE_BUSY'))],
  ])('tells the person what %s means for them, in its own words, with a reference', async (_name, error) => {
    expect(await replyTo(adapterThrowingInADialog(error))).toMatch(
      /^The service is busy\. Please try again in a minute\. \(Reference: [0-9a-f]{8}\)$/,
    );
  });

  it('says a lost race with another turn as such', async () => {
    expect(await replyTo(adapterThrowingInADialog(new PreconditionFailedError('state/x')))).toBe(
      'I was still working on your previous message. If nothing happened, please try again.',
    );
  });

  it('never shows a bug: an error not meant for the person gets the apology and a reference only', async () => {
    const reply = await replyTo(adapterThrowingInADialog(new AppError('internal', 'secret detail at line 3')));
    expect(reply).toMatch(/^Sorry, something went wrong on my side\. .* \(Reference: [0-9a-f]{8}\)$/);
    expect(reply).not.toContain('secret detail');
  });
});

describe('what the log keeps of a failed turn', () => {
  it('the error and the dialog it came from, never the dialog state (what the person typed there)', async () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));
    await replyTo(adapterThrowingInADialog(new Error('a bug'), log, '+12015550123'));
    const failed = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'turn failed');
    expect(failed).toMatchObject({ dialog: 'failing', err: { message: 'a bug' } });
    expect(lines.join('')).not.toContain('2015550123');
  });
});
