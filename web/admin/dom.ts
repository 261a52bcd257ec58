import { formatNumber, formatShare, say } from './texts';

/** Builds elements with the DOM API only: names from the store never become markup. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** "12 (60%)": a count and its share of `of`. */
export function withShare(n: number, of: number): string {
  return of > 0 ? `${formatNumber(n)} (${formatShare(n / of)})` : formatNumber(n);
}

/** A table with a caption, column headers and a row header per row. */
export function table(caption: string, headers: string[], rows: Array<Array<string | number>>, figure: string): HTMLTableElement {
  const head = el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h))));
  const body = el(
    'tbody',
    {},
    ...rows.map((row) =>
      el(
        'tr',
        {},
        ...row.map((cell, i) =>
          i === 0 ? el('th', { scope: 'row' }, String(cell)) : el('td', {}, typeof cell === 'number' ? formatNumber(cell) : cell),
        ),
      ),
    ),
  );
  if (rows.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: String(headers.length) }, say('none'))));
  }
  return el('table', { 'data-figure': figure }, el('caption', {}, caption), head, body);
}

/** Figures as a list of terms and values, each value findable by `data-figure`. */
export function figures(label: string, items: Array<[string, string, string]>): HTMLDListElement {
  return el(
    'dl',
    { class: 'figures', 'aria-label': label },
    ...items.map(([term, value, figure]) => el('div', {}, el('dt', {}, term), el('dd', { 'data-figure': figure }, value))),
  );
}
