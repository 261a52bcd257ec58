import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { buildManifest, packageTeamsApp } from '../scripts/packageTeams';
import { runToExit } from './startup/support';

// The schema comes from an npm package: nothing is downloaded when the test runs.
const schema = JSON.parse(
  fs.readFileSync(require.resolve('@microsoft/app-manifest/build/json-schemas/teams/v1.24/MicrosoftTeams.schema.json'), 'utf8'),
);
const values = {
  botId: '6f1a9a2e-5d43-4c0e-9b4a-6a1d2e3f4a5b',
  orgName: 'Contoso',
  publicBaseUrl: 'https://contoso-bot.azurewebsites.net',
};

describe('the Teams app package', () => {
  it('has a manifest valid against the Teams schema (v1.24), with the bot id filled in', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const manifest = buildManifest(values);
    const valid = ajv.validate(schema, manifest);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(manifest).toMatchObject({
      id: values.botId,
      bots: [{ botId: values.botId, scopes: ['personal', 'team'] }],
      validDomains: ['contoso-bot.azurewebsites.net'],
    });
  });

  it('the schema check catches a broken manifest (so the test above can fail)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const broken = { ...buildManifest(values), id: 'not-a-guid', name: { short: 'x'.repeat(31), full: 'x' } };
    expect(ajv.validate(schema, broken)).toBe(false);
    expect(ajv.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/id', '/name/short']));
  });

  it('zips the manifest and the two icons of the sizes Teams wants', async () => {
    const file = await packageTeamsApp(values);
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const color = PNG.sync.read(await zip.file('color.png')!.async('nodebuffer'));
    const outline = PNG.sync.read(await zip.file('outline.png')!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // The outline icon is white on transparent.
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      expect(a === 0 || (r === 255 && g === 255 && b === 255)).toBe(true);
    }
    expect(path.basename(file)).toBe('appPackage.zip');
  });

  it('`npm run package:teams` needs only the app id, not its password', async () => {
    const { code, stdout, stderr } = await runToExit({ MicrosoftAppId: values.botId }, 'scripts/packageTeams.ts');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Teams app package: .*appPackage\.zip$/m);
  });
});
