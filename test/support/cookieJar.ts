/**
 * What a browser keeps for one host (cookies are not told apart by port): the
 * cookies each answer sets, sent back with each request; redirects are
 * returned, not followed, so a test sees every hop.
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.header());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const name = pair!.slice(0, pair!.indexOf('='));
      const value = pair!.slice(name.length + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The Set-Cookie line of `name` in an answer. */
  static setCookieOf(response: Response, name: string): string | undefined {
    return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
  }
}

/** POSTs a form, as a browser submits one. */
export function formPost(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

/** The value of the hidden `csrf` field of a page's form. */
export function csrfField(html: string): string {
  const match = html.match(/name="csrf" value="([^"]+)"/);
  if (!match) throw new Error('no csrf field on this page');
  return match[1]!;
}
