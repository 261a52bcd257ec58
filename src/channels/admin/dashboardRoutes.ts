import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Server } from 'restify';
import type { Logger } from '../../kit/log';
import { langQuery, pageLanguage } from './language';
import { dashboardPage, messagePage } from './pages';
import { seeOther, sendFile, sendHtml } from './responses';
import type { AdminSessions } from './sessions';

/** The files `npm run build` bundles into `dist/web/admin/` (scripts/buildAdmin.ts); nothing else is served. */
const ASSETS: Readonly<Record<string, string>> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/** `/admin`: the dashboard to a signed-in admin, else the way to sign in; and its bundled files. */
export function registerDashboardRoutes(server: Server, deps: { sessions: AdminSessions; assetsDir: string; log: Logger }): void {
  server.get('/admin', async (req, res) => {
    const session = deps.sessions.read(req);
    if (!session) return seeOther(res, `/admin/login${langQuery(req)}`);
    sendHtml(res, 200, dashboardPage({ language: pageLanguage(req), langQuery: langQuery(req), name: session.name, csrf: session.csrf }));
  });

  server.get('/admin/assets/:file', async (req, res) => {
    const file = String(req.params.file ?? '');
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) return sendHtml(res, 404, messagePage(pageLanguage(req), 'notFoundTitle', 'notFound'));
    try {
      sendFile(res, 200, type, await readFile(path.join(deps.assetsDir, file)));
    } catch (err) {
      deps.log.error({ err: (err as Error).message, file }, 'the dashboard bundle is missing: run npm run build');
      sendHtml(res, 503, messagePage(pageLanguage(req), 'notBuiltTitle', 'notBuilt'));
    }
  });
}
