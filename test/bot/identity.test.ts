import { type Activity, ActivityTypes, TestAdapter, TurnContext } from 'botbuilder';
import { describePerson, personIdOf, refusalOf, tenantsOf } from '../../src/bot/identity';
import { type BotParts, composeBot } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { cryptoRandom } from '../../src/verification/ports';
import { SecretBox } from '../../src/verification/secretBox';
import { cardOf, cardText, saidIn } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { testKey } from '../support/keys';

const log = createLogger('silent');

describe('who a turn belongs to', () => {
  it('in Teams, the Entra object id', () => {
    expect(personIdOf({ channelId: 'msteams', from: { id: '29:x', name: 'A', aadObjectId: 'guid-1' } })).toBe('aad:guid-1');
  });

  it('elsewhere, the channel and its user id: an Entra object id a client sends is not trusted', () => {
    expect(personIdOf({ channelId: 'webchat', from: { id: 'dl_123', name: 'A', aadObjectId: 'guid-of-someone-else' } })).toBe(
      'webchat:dl_123',
    );
  });

  it('no channel can claim a key only the bot gives out (a Teams object id, a directory UPN met by SMS)', () => {
    expect(personIdOf({ channelId: 'upn', from: { id: 'sam.student@contoso.edu', name: 'S' } })).toBeUndefined();
    expect(personIdOf({ channelId: 'AAD', from: { id: 'guid-1', name: 'A' } })).toBeUndefined();
  });

  it("a turn's tenants are those Teams' conversation and channelData name", () => {
    const conversation = { id: 'c', tenantId: 't1', isGroup: false, conversationType: 'personal', name: '' };
    expect(tenantsOf({ conversation })).toEqual(['t1']);
    expect(tenantsOf({ conversation, channelData: { tenant: { id: 't2' } } })).toEqual(['t1', 't2']);
    expect(tenantsOf({ channelData: {} })).toEqual([]);
  });
});

describe('who is served', () => {
  const production = { allowedChannels: new Set(['msteams', 'sms']) };
  const teams = (tenantId?: string, channelData?: unknown): Partial<Activity> => ({
    channelId: 'msteams',
    conversation: { id: 'c', tenantId, isGroup: false, conversationType: 'personal', name: '' },
    channelData,
  });

  it('outside local mode, only the channels allowed: Teams and SMS unless ALLOWED_CHANNELS adds one', () => {
    expect(refusalOf({ channelId: 'msteams' }, production)).toBeUndefined();
    expect(refusalOf({ channelId: 'sms' }, production)).toBeUndefined();
    for (const channelId of ['webchat', 'directline', 'emulator', 'slack', undefined]) {
      expect(refusalOf({ channelId }, production)).toBe('channel');
    }
    expect(refusalOf({ channelId: 'webchat' }, { allowedChannels: new Set(['msteams', 'sms', 'webchat']) })).toBeUndefined();
  });

  it('in local mode, every channel', () => {
    expect(refusalOf({ channelId: 'emulator' }, {})).toBeUndefined();
  });

  it('with ALLOWED_TENANT_ID, every tenant a turn names must be it, on any channel', () => {
    const admission = { allowedTenantId: 'contoso' };
    expect(refusalOf(teams('contoso'), admission)).toBeUndefined();
    expect(refusalOf(teams('fabrikam'), admission)).toBe('tenant');
    expect(refusalOf(teams('contoso', { tenant: { id: 'fabrikam' } }), admission)).toBe('tenant');
    expect(refusalOf({ channelId: 'webchat', channelData: { tenant: { id: 'fabrikam' } } }, admission)).toBe('tenant');
    expect(refusalOf({ channelId: 'webchat', channelData: { tenant: { id: 'contoso' } } }, admission)).toBeUndefined();
    // A text carries no tenant: the directory and the SMS gate decide who it is.
    expect(refusalOf({ channelId: 'sms' }, admission)).toBeUndefined();
  });

  it('a Teams turn naming no tenant in its conversation is refused, whatever its channelData says', () => {
    expect(refusalOf(teams(undefined, { tenant: { id: 'contoso' } }), { allowedTenantId: 'contoso' })).toBe('tenant');
  });
});

describe("a person's UPN", () => {
  const contextOf = (activity: Partial<Activity>) =>
    new TurnContext(new TestAdapter(), { type: ActivityTypes.Message, recipient: { id: 'bot', name: 'Bot' }, ...activity });
  const webchat = { channelId: 'webchat', from: { id: 'dl_1', name: 'adele.vance@contoso.com' } };

  it('is never the display name a client sends outside local mode: the person is known by their key', async () => {
    const person = await describePerson(contextOf(webchat), 'webchat:dl_1', log);
    expect(person).toMatchObject({ upn: 'webchat:dl_1', displayName: 'adele.vance@contoso.com', upnVerified: false });
  });

  it("nor in Teams when the roster cannot be read, rather than the person's display name", async () => {
    const teams = { channelId: 'msteams', from: { id: '29:1', name: 'Adele Vance', aadObjectId: 'guid-1' } };
    expect(await describePerson(contextOf(teams), 'aad:guid-1', log)).toMatchObject({ upn: 'aad:guid-1', displayName: 'Adele Vance' });
  });

  it('is the name the Emulator sends in local mode, where a developer names the person they try the bot as', async () => {
    expect((await describePerson(contextOf(webchat), 'webchat:dl_1', log, true)).upn).toBe('adele.vance@contoso.com');
  });
});

describe('the bot outside local mode', () => {
  const chat = (parts: Partial<BotParts>, activity: Partial<Activity>) => {
    const clock = new FrozenClock();
    const sent = { ok: true } as const;
    const { bot } = composeBot({
      store: new SqliteStore(':memory:', clock, cryptoRandom),
      clock,
      random: cryptoRandom,
      log,
      secretBox: new SecretBox([testKey()], cryptoRandom),
      orgName: 'Contoso',
      sender: { sendSms: async () => sent, sendEmail: async () => sent, placeCall: async () => sent },
      allowedChannels: new Set(['msteams', 'sms']),
      ...parts,
    });
    const adapter = new TestAdapter((context) => bot.run(context), {
      recipient: { id: 'bot', name: 'Security info' },
      conversation: { id: 'conv-1', isGroup: false, name: 'chat', conversationType: 'personal' },
      ...activity,
    });
    return async (text: string) => {
      await adapter.processActivity({ type: ActivityTypes.Message, text });
      return adapter.activeQueue.splice(0);
    };
  };
  const webchat = { channelId: 'webchat', from: { id: 'dl_1', name: 'adele.vance@contoso.com' } };

  it('says nothing on a channel it does not serve', async () => {
    expect(await chat({}, webchat)('hi')).toEqual([]);
  });

  it('on a channel ALLOWED_CHANNELS adds, greets the person by their key, never by the name the client sent', async () => {
    const replies = await chat({ allowedChannels: new Set(['msteams', 'sms', 'webchat']) }, webchat)('hi');
    const card = cardText(cardOf(replies.find((r) => cardOf(r))));
    expect(card).toContain('More information required');
    expect(card).toContain('webchat:dl_1');
    expect(card).not.toContain('adele.vance@contoso.com');
    expect(saidIn(replies).join('\n')).not.toContain('adele.vance@contoso.com');
  });
});
