import type { Request, Response } from 'restify';

/** One cookie of the request, by name; undefined when absent or repeated (a repeated name is someone's injection). */
export function readCookie(req: Request, name: string): string | undefined {
  const found = (req.header('cookie') ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
  return found.length === 1 ? found[0] : undefined;
}

export interface CookieOptions {
  readonly path: string;
  /** Seconds; 0 deletes the cookie. */
  readonly maxAge: number;
  /** Outside localhost: sent over HTTPS only. */
  readonly secure: boolean;
}

/** Adds a Set-Cookie header: never readable by scripts, never sent by another site's POST or frame. */
export function setCookie(res: Response, name: string, value: string, options: CookieOptions): void {
  const attributes = [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ];
  const previous = res.getHeader('set-cookie');
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous.map(String) : [String(previous)];
  res.setHeader('set-cookie', [...list, attributes.join('; ')]);
}
