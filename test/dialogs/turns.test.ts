import type { Activity } from 'botbuilder';
import { PreconditionFailedError } from '../../src/kit/errors';
import type { PersonDocument } from '../../src/state/personState';
import { SqliteStore } from '../../src/storage/sqliteStore';
import type { Collection, DocumentStore, WriteOptions } from '../../src/storage/store';
import { cryptoRandom } from '../../src/verification/ports';
import { cardText, submitActions } from '../support/cards';
import { Chat, cardsOf, textsOf } from '../support/chat';
import { FrozenClock } from '../support/clock';
import { lastTextedCode, readOutbox } from '../support/outbox';
import { throughTheApp } from '../support/wizard';

const US_NUMBER = { country: 'US', number: '201 555 0123', method: 'sms' };

/** The submit of the button titled `title` on the last card, as a channel delivers it (with an id of its own). */
function submitOf(chat: Chat, title: string, inputs: Record<string, string>, id: string): Partial<Activity> {
  const action = submitActions(chat.lastCard()).find((a) => a.title === title)!;
  return { type: 'message', id, value: { ...action.data, ...inputs } };
}

const textsTo = (chat: Chat, to: string) => readOutbox(chat.outbox.file).filter((e) => e.channel === 'sms' && e.to === to);

/**
 * A store in which another instance saves the person's document just before
 * this one does, once, when armed: this instance's save then loses (412).
 */
class RacedStore implements DocumentStore {
  armed = false;
  constructor(private readonly inner: DocumentStore) {}
  get: DocumentStore['get'] = (collection, id, options) => this.inner.get(collection, id, options);
  increment: DocumentStore['increment'] = (collection, id, options) => this.inner.increment(collection, id, options);
  delete: DocumentStore['delete'] = (collection, id, options) => this.inner.delete(collection, id, options);
  list: DocumentStore['list'] = (collection, partition, options) => this.inner.list(collection, partition, options);
  close = () => this.inner.close();
  async put<T>(collection: Collection, id: string, value: T, options?: WriteOptions): Promise<string> {
    if (this.armed && collection === 'state' && options?.ifMatch) {
      this.armed = false;
      const other = (await this.inner.get<PersonDocument>('state', id))!;
      const journal = [...(other.value.journal ?? []), { at: 0, from: 'bot' as const, text: 'saved by another instance' }];
      await this.inner.put('state', id, { ...other.value, journal }, { ifMatch: other.etag });
    }
    return this.inner.put(collection, id, value, options);
  }
}

describe('a turn commits before it speaks', () => {
  it('a repeated delivery of one activity (same id) is one turn: one answer, one text', async () => {
    const chat = new Chat();
    await throughTheApp(chat);
    const next = submitOf(chat, 'Next', US_NUMBER, 'delivery-1');
    const before = chat.adapter.shown.length;
    await Promise.all([chat.adapter.processActivity({ ...next }), chat.adapter.processActivity({ ...next })]);
    const shown = chat.adapter.shown.slice(before);
    expect(cardsOf(shown)).toHaveLength(1);
    expect(cardText(cardsOf(shown)[0])).toContain('+1 ••• ••• 0123');
    expect(textsTo(chat, '+12015550123')).toHaveLength(1);
  });

  it('a delivery repeated to another instance (the first stopped before it spoke) shows where the person is, and does nothing twice', async () => {
    const clock = new FrozenClock();
    const store = new SqliteStore(':memory:', clock, cryptoRandom);
    const first = new Chat({ store, clock });
    await throughTheApp(first);
    const next = submitOf(first, 'Next', US_NUMBER, 'delivery-2');
    await first.adapter.processActivity({ ...next });
    expect(textsTo(first, '+12015550123')).toHaveLength(1);
    // The same activity, delivered again to an instance that never answered it.
    const other = new Chat({ store, clock });
    await other.adapter.processActivity({ ...next });
    expect(cardText(other.lastCard())).toContain('+1 ••• ••• 0123');
    expect(textsTo(first, '+12015550123').length + textsTo(other, '+12015550123').length).toBe(1);
  });

  it('two clicks at once on one card go one step forward and send one text; the second is told where the person is', async () => {
    const chat = new Chat();
    await throughTheApp(chat);
    const before = chat.adapter.shown.length;
    await Promise.all([
      chat.adapter.processActivity(submitOf(chat, 'Next', US_NUMBER, 'click-1')),
      chat.adapter.processActivity(submitOf(chat, 'Next', US_NUMBER, 'click-2')),
    ]);
    const shown = chat.adapter.shown.slice(before);
    expect(textsOf(shown)).toContain('That card is no longer active. Here is where you are:');
    expect(textsTo(chat, '+12015550123')).toHaveLength(1);
    expect(
      cardsOf(await chat.click('Next', { code: lastTextedCode(chat.outbox.file) }))
        .map(cardText)
        .join('\n'),
    ).toContain('registered successfully');
  });

  it('a turn that loses its save to another instance runs again on fresh state: only its final replies are shown, its text goes once, and that code works', async () => {
    const clock = new FrozenClock();
    const store = new RacedStore(new SqliteStore(':memory:', clock, cryptoRandom));
    const chat = new Chat({ store, clock });
    await throughTheApp(chat);
    store.armed = true;
    const replies = await chat.click('Next', US_NUMBER);
    expect(store.armed).toBe(false);
    expect(cardsOf(replies)).toHaveLength(1);
    expect(cardText(cardsOf(replies)[0])).toContain('+1 ••• ••• 0123');
    expect(textsTo(chat, '+12015550123')).toHaveLength(1);
    // What the other instance saved is kept: the turn ran again on top of it.
    const doc = await store.get<PersonDocument>('state', 'emulator:user-1');
    expect(doc?.value.journal?.some((e) => e.text === 'saved by another instance')).toBe(true);
    const done = await chat.click('Next', { code: lastTextedCode(chat.outbox.file) });
    expect(cardsOf(done).map(cardText).join('\n')).toContain('registered successfully');
  });

  it('a turn whose saves keep losing says nothing it did not keep, and apologises', async () => {
    const clock = new FrozenClock();
    const inner = new SqliteStore(':memory:', clock, cryptoRandom);
    const chat = new Chat({ store: inner, clock });
    await throughTheApp(chat);
    const put = inner.put.bind(inner);
    inner.put = async (collection, id, value, options) => {
      if (collection === 'state' && options?.ifMatch) throw new PreconditionFailedError(`${collection}/${id}`);
      return put(collection, id, value, options);
    };
    const replies = await chat.click('Next', US_NUMBER);
    expect(cardsOf(replies)).toHaveLength(0);
    expect(textsOf(replies).join('\n')).toMatch(/sorry|try again/i);
  });

  it('a phone saved while its alias could not be written is found by its number after the next turn (the relinking is finished then)', async () => {
    const clock = new FrozenClock();
    const inner = new SqliteStore(':memory:', clock, cryptoRandom);
    const chat = new Chat({ store: inner, clock });
    await throughTheApp(chat);
    await chat.click('Next', US_NUMBER);
    const put = inner.put.bind(inner);
    let failAliases = true;
    inner.put = async (collection, id, value, options) => {
      if (collection === 'aliases' && failAliases) throw new Error('store unavailable');
      return put(collection, id, value, options);
    };
    await chat.click('Next', { code: lastTextedCode(chat.outbox.file) });
    expect((await chat.parts.aliases.phone('+12015550123')).personId).toBeUndefined();
    failAliases = false;
    await chat.send('help');
    expect((await chat.parts.aliases.phone('+12015550123')).personId).toBe('emulator:user-1');
  });
});
