import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.join(__dirname, '..');

/** Where the bot serves the dashboard's files from (src/index.ts, ADMIN_ASSETS). */
export const ADMIN_BUNDLE_DIR = path.join(root, 'dist', 'web', 'admin');

/**
 * The dashboard's script (web/admin/, with chart.js from node_modules) in one
 * file, and its stylesheet: served by the bot itself, no CDN. `npm run build` runs it.
 */
export async function buildAdminBundle(outdir = ADMIN_BUNDLE_DIR): Promise<void> {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'web', 'admin', 'main.ts')],
    outfile: path.join(outdir, 'dashboard.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    // chart.js's licence travels with it.
    legalComments: 'eof',
    logLevel: 'warning',
  });
  await copyFile(path.join(root, 'web', 'admin', 'dashboard.css'), path.join(outdir, 'dashboard.css'));
}

if (require.main === module) {
  buildAdminBundle().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
