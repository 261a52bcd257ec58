import type { Request, Response } from 'restify';
import { createAuthorise } from '../../src/channels/admin/guard';
import { AdminSessions } from '../../src/channels/admin/sessions';
import { FrozenClock } from '../support/clock';

const KEY = 'admin-key-for-tests-0123456789abcdef';

/** The parts of a restify request the guard reads. */
function request(method: string, headers: Record<string, string>, body?: unknown): Request {
  return { method, body, header: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
}

/** Signs in and returns the session cookie and its CSRF token. */
function signedIn(sessions: AdminSessions): { cookie: string; csrf: string } {
  const headers: Record<string, unknown> = {};
  const res = { getHeader: (n: string) => headers[n], setHeader: (n: string, v: unknown) => (headers[n] = v) } as unknown as Response;
  sessions.start(res, 'alice@contoso.com', 'entra');
  const cookie = String((headers['set-cookie'] as string[])[0]).split(';')[0]!;
  return { cookie, csrf: sessions.read(request('GET', { cookie }))!.csrf };
}

describe('the guard of every admin route', () => {
  const clock = new FrozenClock();
  const sessions = new AdminSessions(Buffer.alloc(32, 7), clock, false);
  const authorise = createAuthorise({ apiKey: KEY, sessions });

  it('names a bearer caller by the key, whatever the method, with no CSRF token', () => {
    expect(authorise(request('GET', { authorization: `Bearer ${KEY}` }))).toEqual({ name: 'admin api key', via: 'bearer' });
    expect(authorise(request('POST', { authorization: `Bearer ${KEY}` }))).toEqual({ name: 'admin api key', via: 'bearer' });
  });

  it('refuses another key, another scheme, and a wrong Authorization even beside a valid session', () => {
    const { cookie } = signedIn(sessions);
    expect(authorise(request('GET', { authorization: `Bearer ${KEY}x` }))).toBeUndefined();
    expect(authorise(request('GET', { authorization: `Basic ${KEY}` }))).toBeUndefined();
    expect(authorise(request('GET', { authorization: `Bearer ${KEY} extra` }))).toBeUndefined();
    expect(authorise(request('GET', { authorization: 'Bearer nope', cookie }))).toBeUndefined();
  });

  it('names a signed-in admin on a GET; a POST needs the CSRF token by header or form field', () => {
    const { cookie, csrf } = signedIn(sessions);
    const alice = { name: 'alice@contoso.com', via: 'session' };
    expect(authorise(request('GET', { cookie }))).toEqual(alice);
    expect(authorise(request('POST', { cookie }))).toBeUndefined();
    expect(authorise(request('POST', { cookie, 'x-csrf-token': `${csrf}x` }))).toBeUndefined();
    expect(authorise(request('POST', { cookie }, { csrf: 'guess' }))).toBeUndefined();
    expect(authorise(request('POST', { cookie, 'x-csrf-token': csrf }))).toEqual(alice);
    expect(authorise(request('POST', { cookie }, { csrf }))).toEqual(alice);
  });

  it("refuses another session's token, a cookie sealed with another key, and a cookie sent twice", () => {
    const mine = signedIn(sessions);
    const theirs = signedIn(sessions);
    expect(authorise(request('POST', { cookie: mine.cookie, 'x-csrf-token': theirs.csrf }))).toBeUndefined();
    const elsewhere = signedIn(new AdminSessions(Buffer.alloc(32, 8), clock, false));
    expect(authorise(request('GET', { cookie: elsewhere.cookie }))).toBeUndefined();
    expect(authorise(request('GET', { cookie: `${mine.cookie}; ${theirs.cookie}` }))).toBeUndefined();
  });

  it('without a key configured, no bearer is accepted', () => {
    const noKey = createAuthorise({ sessions });
    expect(noKey(request('GET', { authorization: 'Bearer ' }))).toBeUndefined();
    expect(noKey(request('GET', { authorization: `Bearer ${KEY}` }))).toBeUndefined();
  });
});
