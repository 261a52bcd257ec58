/** Whitespace of any kind, line breaks included: a person's words stay on the line that names them. */
const WHITESPACE = /\s+/g;
/** Control characters, and invisible ones that reorder or hide text (bidi overrides, zero-width spaces). */
const INVISIBLE = /[\p{Cc}\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;
/** What Teams reads as HTML in a message (tags such as <at> or <a>, entities). */
const HTML = /[&<>]/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** What starts emphasis, code, strike-through, a link or an image in Teams Markdown. */
const MARKDOWN = /[\\`*_~[\]]/g;
/** What Teams turns into a link by itself: a scheme, or a www. name. */
const AUTOLINK = /(:\/\/)|\b(www)\./gi;
/** What makes a heading or a list of a line that starts with it (#, -, +, 1. or 1)). */
const LINE_START = /^(\d*)([#+.)-])/;

/**
 * Text someone else wrote (a person, their display name), made to show
 * verbatim in a Teams Markdown message: on one line, with nothing of it read
 * as formatting, a mention or a link (an address is defanged, as
 * `https[:]//…`), so it cannot pass for the bot's words.
 */
export function asPlainText(text: string): string {
  return text
    .replace(WHITESPACE, ' ')
    .replace(INVISIBLE, '')
    .trim()
    .replace(HTML, (c) => ENTITIES[c]!)
    .replace(MARKDOWN, '\\$&')
    .replace(AUTOLINK, (_m, scheme: string | undefined, www: string | undefined) => (scheme ? '[:]//' : `${www}[.]`))
    .replace(LINE_START, '$1\\$2');
}

/** The ticket's person as agents read them in the channel (a display name is theirs, not the bot's). */
export function personName(ticket: { readonly displayName: string }): string {
  return asPlainText(ticket.displayName);
}
