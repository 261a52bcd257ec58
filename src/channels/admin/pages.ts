import { type Language, section, t } from '../../kit/texts';

/**
 * The dashboard's HTML, made on the server: the shell the bundled script
 * (`web/admin/`) fills, the sign-in page and the refusals, in the page's
 * language, every word from the catalogs' `admin` section (docs/i18n.md). No
 * inline script or style: the Content-Security-Policy allows this origin's
 * files only; the script's own words travel as a JSON data block, never run.
 */

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Tagged template: every interpolated value is escaped, unless it is already {@link Html}. */
class Html {
  constructor(readonly text: string) {}
}
function html(strings: TemplateStringsArray, ...values: Array<string | Html>): Html {
  return new Html(
    strings.reduce((out, s, i) => {
      const value = values[i - 1]!;
      return out + (value instanceof Html ? value.text : escapeHtml(value)) + s;
    }),
  );
}

/** JSON for a `<script type="application/json">` block: no `<` (nor `>`, `&`) that could close it. */
const jsonBlock = (value: unknown) =>
  new Html(JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

function page(language: Language, title: string, body: Html, options: { script?: boolean } = {}): string {
  return html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/admin/assets/dashboard.css">
${options.script ? html`<script src="/admin/assets/dashboard.js" defer></script>` : ''}
</head>
<body>
${body}
</body>
</html>
`.text;
}

export interface LoginPageOptions {
  readonly language: Language;
  /** `?lang=…` if the page was asked for in a language: the key form keeps it. */
  readonly langQuery: string;
  /** Entra ID sign-in is configured. */
  readonly entra: boolean;
  /** Local mode with ADMIN_API_KEY: the key form. */
  readonly keyLogin: boolean;
  /** The double-submit token of the key form. */
  readonly csrf: string;
  /** The refusal of the last attempt, already in `language`. */
  readonly error?: string;
}

export function loginPage(options: LoginPageOptions): string {
  const say = (key: string) => t(options.language, `admin.signIn.${key}`);
  const entra = options.entra ? html`<p><a class="button" href="/admin/login/entra">${say('entra')}</a></p>` : '';
  const keyForm = options.keyLogin
    ? html`<form method="post" action="/admin/login/key${options.langQuery}" class="key-login">
<h2>${say('localHeading')}</h2>
<p>${say('localHint')}</p>
<input type="hidden" name="csrf" value="${options.csrf}">
<label for="key">${say('keyLabel')}</label>
<input id="key" name="key" type="password" autocomplete="current-password" required>
<button type="submit">${say('submit')}</button>
</form>`
    : '';
  const error = options.error ? html`<p class="error" role="alert">${options.error}</p>` : '';
  return page(
    options.language,
    say('title'),
    html`<main class="login">
<h1>${say('heading')}</h1>
${error}${entra}${keyForm}
</main>`,
  );
}

/**
 * The dashboard's shell: the script fills each section from
 * `/api/admin/summary`, with its words from the `texts` block
 * (`admin.page` in `language`, and the methods' names).
 */
export function dashboardPage(options: { language: Language; langQuery: string; name: string; csrf: string }): string {
  const { language } = options;
  const say = (key: string) => t(language, `admin.dashboard.${key}`);
  const filter = (name: string, label: string, all: string) =>
    html`<label for="filter-${name}">${say(label)}</label>
<select id="filter-${name}" name="${name}"><option value="">${say(all)}</option></select>`;
  const part = (id: string) =>
    html`<section aria-labelledby="${id}-title"><h2 id="${id}-title">${say(id)}</h2><div id="${id}"></div></section>`;
  return page(
    language,
    say('title'),
    html`<header class="top">
<h1>${say('heading')}</h1>
<p>${say('signedInAs')} <strong id="who">${options.name}</strong></p>
<form method="post" action="/admin/logout${options.langQuery}"><input type="hidden" name="csrf" value="${options.csrf}"><button type="submit">${say('signOut')}</button></form>
</header>
<main id="dashboard" data-csrf="${options.csrf}">
<form id="filters" class="filters" aria-label="${say('filters')}">
${filter('role', 'role', 'allRoles')}
${filter('group', 'group', 'allGroups')}
${filter('method', 'method', 'allMethods')}
<a id="download-csv" class="button" href="/api/admin/reports/registration.csv" download>${say('downloadCsv')}</a>
</form>
<p id="updated" role="status" aria-live="polite">${say('loading')}</p>
${part('people')}
${part('campaigns')}
${part('completions')}
<div class="pair">
${part('tickets')}
${part('queue')}
</div>
</main>
<script type="application/json" id="texts">${jsonBlock({ ...section(language, 'admin.page'), methods: section(language, 'methods') })}</script>`,
    { script: true },
  );
}

/** A refusal or a failure of sign-in, its title and message keys under `admin.refusals`, with the way back. */
export function messagePage(
  language: Language,
  titleKey: string,
  messageKey: string,
  values: Readonly<Record<string, string>> = {},
): string {
  const title = t(language, `admin.refusals.${titleKey}`);
  return page(
    language,
    title,
    html`<main class="login">
<h1>${title}</h1>
<p>${t(language, `admin.refusals.${messageKey}`, values)}</p>
<p><a class="button" href="/admin/login">${t(language, 'admin.refusals.back')}</a></p>
</main>`,
  );
}
