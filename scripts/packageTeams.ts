/**
 * `npm run package:teams`: the Teams app package to upload (appPackage/build/appPackage.zip),
 * made from appPackage/manifest.json with the bot id (MicrosoftAppId), ORG_NAME and PUBLIC_BASE_URL filled in.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { loadConfig } from '../src/config';

const dir = path.join(__dirname, '..', 'appPackage');

/** The manifest with its ${{...}} placeholders filled in. */
export function buildManifest(values: { botId: string; orgName: string; publicBaseUrl: string }): Record<string, unknown> {
  const filled: Record<string, string> = {
    BOT_ID: values.botId,
    ORG_NAME: values.orgName,
    PUBLIC_BASE_URL: values.publicBaseUrl,
    PUBLIC_HOST: new URL(values.publicBaseUrl).host,
  };
  const text = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8').replace(/\$\{\{(\w+)\}\}/g, (_m, name: string) => {
    const value = filled[name];
    if (value === undefined) throw new Error(`manifest.json uses \${{${name}}}, which nothing fills`);
    return value;
  });
  return JSON.parse(text);
}

export async function packageTeamsApp(values: { botId: string; orgName: string; publicBaseUrl: string }): Promise<string> {
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(buildManifest(values), null, 2));
  for (const icon of ['color.png', 'outline.png']) zip.file(icon, fs.readFileSync(path.join(dir, icon)));
  const out = path.join(dir, 'build', 'appPackage.zip');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return out;
}

if (require.main === module) {
  const config = loadConfig();
  if (!config.bot.appId) {
    console.error("Set MicrosoftAppId (the bot registration's app id) to make the Teams package.");
    process.exit(2);
  }
  packageTeamsApp({ botId: config.bot.appId, orgName: config.orgName, publicBaseUrl: config.publicBaseUrl }).then(
    (file) => console.log(`Teams app package: ${file}`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
