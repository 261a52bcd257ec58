import { honourOptOuts, honourOptOutsInNotices } from '../../src/delivery/optOuts';
import { Aliases } from '../../src/storage/aliases';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { type CodeSender, cryptoRandom, type DeliveryResult, type Messenger } from '../../src/verification/ports';
import { SecretBox } from '../../src/verification/secretBox';
import { FrozenClock } from '../support/clock';
import { testKey } from '../support/keys';

const PHONE = '+12015550123';
const SENT: DeliveryResult = { ok: true };
const OPTED_OUT: DeliveryResult = { ok: false, failure: 'optedOut', permanent: true };

/** What a STOP stops (src/delivery/optOuts.ts): what we send on our own, never a code the person asks for. */
describe('a STOP, forged or not', () => {
  const clock = new FrozenClock();
  let store: SqliteStore;
  let aliases: Aliases;
  let sent: string[];
  beforeEach(async () => {
    store = new SqliteStore(':memory:', clock, cryptoRandom);
    aliases = new Aliases(store, new SecretBox([testKey()], cryptoRandom));
    sent = [];
    // The number's STOP: as the SMS gate records it, whoever really sent it.
    await aliases.setOptedOut(PHONE, true, clock.now());
  });
  afterEach(() => store.close());

  /** Notes what would have gone out. */
  const record = (what: string): DeliveryResult => {
    sent.push(what);
    return SENT;
  };
  const messenger: Messenger = {
    sendCode: async (to) => record(`code to ${to.address}`),
    placeCall: async (to) => record(`call to ${to}`),
    notifyChange: async (to) => record(`notice to ${to.address}`),
  };
  const sender: CodeSender = {
    sendSms: async (to) => record(`text to ${to}`),
    sendEmail: async (to) => record(`email to ${to}`),
    placeCall: async (to) => record(`call to ${to}`),
  };

  it('still lets through a code the person asks for, and calls, so nobody is locked out of proving their phone', async () => {
    const messages = honourOptOutsInNotices(messenger, aliases);
    expect(await messages.sendCode({ channel: 'sms', address: PHONE }, '123456', 5)).toEqual(SENT);
    expect(await messages.placeCall(PHONE, { callToken: 't' })).toEqual(SENT);
    expect(sent).toEqual([`code to ${PHONE}`, `call to ${PHONE}`]);
  });

  it('stops change notices to the number, but not to its person’s email', async () => {
    const messages = honourOptOutsInNotices(messenger, aliases);
    expect(await messages.notifyChange({ channel: 'sms', address: PHONE }, { what: 'defaultChanged' })).toEqual(OPTED_OUT);
    expect(await messages.notifyChange({ channel: 'email', address: 'adele@example.org' }, { what: 'defaultChanged' })).toEqual(SENT);
    expect(sent).toEqual(['notice to adele@example.org']);
  });

  it('stops the texts we send on our own (replies sent later, agents’ messages) until START', async () => {
    const texts = honourOptOuts(sender, aliases);
    expect(await texts.sendSms(PHONE, 'An agent writes: hello')).toEqual(OPTED_OUT);
    expect(await texts.sendSms('+12015550177', 'hello')).toEqual(SENT);
    await aliases.setOptedOut(PHONE, false, clock.now());
    expect(await texts.sendSms(PHONE, 'An agent writes: hello')).toEqual(SENT);
    expect(
      await honourOptOutsInNotices(messenger, aliases).notifyChange({ channel: 'sms', address: PHONE }, { what: 'defaultChanged' }),
    ).toEqual(SENT);
    expect(sent).toEqual(['text to +12015550177', `text to ${PHONE}`, `notice to ${PHONE}`]);
  });
});
