/**
 * The dashboard's HTML, made on the server: the shell the bundled script
 * (`web/admin/`) fills, the sign-in page and the refusals. No inline script
 * or style: the Content-Security-Policy allows this origin's files only.
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

function page(title: string, body: Html, options: { script?: boolean } = {}): string {
  return html`<!doctype html>
<html lang="en">
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
  /** Entra ID sign-in is configured. */
  readonly entra: boolean;
  /** Local mode with ADMIN_API_KEY: the key form. */
  readonly keyLogin: boolean;
  /** The double-submit token of the key form. */
  readonly csrf: string;
  readonly error?: string;
}

export function loginPage(options: LoginPageOptions): string {
  const entra = options.entra ? html`<p><a class="button" href="/admin/login/entra">Sign in with Microsoft Entra ID</a></p>` : '';
  const keyForm = options.keyLogin
    ? html`<form method="post" action="/admin/login/key" class="key-login">
<h2>Local sign-in</h2>
<p>Local mode: sign in with the admin API key (ADMIN_API_KEY).</p>
<input type="hidden" name="csrf" value="${options.csrf}">
<label for="key">Admin API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`
    : '';
  const error = options.error ? html`<p class="error" role="alert">${options.error}</p>` : '';
  return page(
    'Sign in: security info enrollment admin',
    html`<main class="login">
<h1>Security info enrollment admin</h1>
${error}${entra}${keyForm}
</main>`,
  );
}

/** The dashboard's shell: the script fills each section from `/api/admin/summary`. */
export function dashboardPage(options: { name: string; csrf: string }): string {
  return page(
    'Security info enrollment: admin dashboard',
    html`<header class="top">
<h1>Security info enrollment</h1>
<p>Signed in as <strong id="who">${options.name}</strong></p>
<form method="post" action="/admin/logout"><input type="hidden" name="csrf" value="${options.csrf}"><button type="submit">Sign out</button></form>
</header>
<main id="dashboard" data-csrf="${options.csrf}">
<form id="filters" class="filters" aria-label="Filters">
<label for="filter-role">Role</label>
<select id="filter-role" name="role"><option value="">All roles</option></select>
<label for="filter-group">Group</label>
<select id="filter-group" name="group"><option value="">All groups</option></select>
<label for="filter-method">Method</label>
<select id="filter-method" name="method"><option value="">All methods</option></select>
<a id="download-csv" class="button" href="/api/admin/reports/registration.csv" download>Download the registration report (CSV)</a>
</form>
<p id="updated" role="status" aria-live="polite">Loading the figures…</p>
<section aria-labelledby="people-title"><h2 id="people-title">People by status</h2><div id="people"></div></section>
<section aria-labelledby="campaigns-title"><h2 id="campaigns-title">Campaigns</h2><div id="campaigns"></div></section>
<section aria-labelledby="completions-title"><h2 id="completions-title">Completions over time</h2><div id="completions"></div></section>
<div class="pair">
<section aria-labelledby="tickets-title"><h2 id="tickets-title">Help-desk tickets</h2><div id="tickets"></div></section>
<section aria-labelledby="queue-title"><h2 id="queue-title">Send queue</h2><div id="queue"></div></section>
</div>
</main>`,
    { script: true },
  );
}

/** A refusal or a failure of sign-in, with the way back. */
export function messagePage(title: string, message: string): string {
  return page(
    title,
    html`<main class="login">
<h1>${title}</h1>
<p>${message}</p>
<p><a class="button" href="/admin/login">Back to sign-in</a></p>
</main>`,
  );
}
