import { personIdOf, tenantOf } from '../../src/bot/identity';

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

  it("a tenant comes from Teams' conversation only, never from channelData a client can set", () => {
    expect(tenantOf({ conversation: { id: 'c', tenantId: 't1', isGroup: false, conversationType: 'personal', name: '' } })).toBe('t1');
    expect(tenantOf({ channelData: { tenant: { id: 'forged' } } })).toBeUndefined();
  });
});
