import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { type Catalog, LANGUAGES, readCatalog, t } from '../../src/kit/texts';
import { CARDS_DIR, CardRenderer } from '../../src/presentation/cards';
import { PREDEFINED_QUESTIONS } from '../../src/verification/questions';

/** Every text of a catalog, by its dotted key. */
function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === 'string') texts.set(`${prefix}${key}`, value);
    else for (const [inner, text] of flatten(value, `${prefix}${key}.`)) texts.set(inner, text);
  }
  return texts;
}

/** The names of a message's placeholders, plural and select arguments included (ICU syntax). */
function placeholders(message: string, language: string): string[] {
  const names = new Set<string>();
  const walk = (elements: unknown[]) => {
    for (const element of elements as Array<{ type: number; value?: unknown; options?: Record<string, { value: unknown[] }> }>) {
      if (element.type >= 1 && element.type <= 6 && typeof element.value === 'string') names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, language).getAst());
  return [...names].sort();
}

const catalogs = Object.fromEntries(LANGUAGES.map((language) => [language, flatten(readCatalog(language))]));
const english = catalogs.en!;

describe('the message catalogs (locales/*.json)', () => {
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every key English has, and no other', (language) => {
    const keys = [...catalogs[language]!.keys()].sort();
    expect(keys.filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !catalogs[language]!.has(k))).toEqual([]);
  });

  it.each(LANGUAGES)('every %s text is a valid ICU message, not empty', (language) => {
    for (const [key, text] of catalogs[language]!) {
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
      expect(() => new IntlMessageFormat(text, language)).not.toThrow();
    }
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('every %s text has the same placeholders as its English one', (language) => {
    const differing = [...english]
      .filter(([key]) => catalogs[language]!.has(key))
      .map(([key, text]) => ({ key, en: placeholders(text, 'en'), other: placeholders(catalogs[language]!.get(key)!, language) }))
      .filter(({ en, other }) => en.join() !== other.join());
    expect(differing).toEqual([]);
  });

  it('plurals read as plurals in both languages', () => {
    expect(t('en', 'labels.inAbout', { minutes: 1 })).toBe('in about 1 minute');
    expect(t('en', 'labels.inAbout', { minutes: 15 })).toBe('in about 15 minutes');
    expect(t('es', 'labels.inAbout', { minutes: 15 })).toBe('en unos 15 minutos');
    expect(t('es', 'pass.wrong', { count: 1 })).toContain('te queda 1 intento');
    expect(t('es', 'pass.wrong', { count: 3 })).toContain('te quedan 3 intentos');
  });

  it('every text a card template asks for ($root.texts.…) is in the catalogs, for that card or for every card', () => {
    const missing: string[] = [];
    const files = fs.readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json'));
    for (const file of files) {
      const name = path.basename(file, '.json');
      const template = fs.readFileSync(path.join(CARDS_DIR, file), 'utf8');
      for (const [, key] of template.matchAll(/\$root\.texts\.([\w.]+)/g)) {
        if (!english.has(`cards.${name}.${key}`) && !english.has(`cards.parts.${key}`)) missing.push(`${name}: ${key}`);
      }
    }
    for (const file of fs.readdirSync(path.join(CARDS_DIR, 'parts'))) {
      const template = fs.readFileSync(path.join(CARDS_DIR, 'parts', file), 'utf8');
      for (const [, key] of template.matchAll(/\$root\.texts\.([\w.]+)/g))
        if (!english.has(`cards.parts.${key}`)) missing.push(`parts: ${key}`);
    }
    expect(missing).toEqual([]);
  });

  it('no card template holds words of its own: every visible string comes from the view model', () => {
    const literal: string[] = [];
    const walk = (node: unknown, file: string) => {
      if (Array.isArray(node)) {
        for (const n of node) walk(n, file);
        return;
      }
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (['text', 'title', 'label', 'altText', 'placeholder', 'errorMessage'].includes(key) && typeof value === 'string') {
          // What is left once the ${…} expressions are taken out: punctuation and symbols at most.
          if (/[A-Za-z]{2}/.test(value.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, ''))) literal.push(`${file}: ${value}`);
        }
        walk(value, file);
      }
    };
    for (const file of [...fs.readdirSync(CARDS_DIR), ...fs.readdirSync(path.join(CARDS_DIR, 'parts')).map((f) => `parts/${f}`)]) {
      if (file.endsWith('.json')) walk(JSON.parse(fs.readFileSync(path.join(CARDS_DIR, file), 'utf8')), file);
    }
    expect(literal).toEqual([]);
  });

  it('every key the code names in full (t(language, "…"), turn.t("…")) is in the catalogs', () => {
    const missing: string[] = [];
    let named = 0;
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          const source = fs.readFileSync(file, 'utf8');
          for (const match of source.matchAll(/\bt\([\w.]+, '([\w.]+)'|\.t\('([\w.]+)'/g)) {
            const key = match[1] ?? match[2]!;
            named += 1;
            if (!english.has(key)) missing.push(`${path.relative(process.cwd(), file)}: ${key}`);
          }
        }
      }
    };
    walk(path.resolve(__dirname, '..', '..', 'src'));
    expect(named).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it("the catalogs' English security questions are the verification core's, which checks answers against them", () => {
    for (const question of PREDEFINED_QUESTIONS) expect(english.get(`questions.predefined.${question.id}`)).toBe(question.text);
    expect(catalogs.es!.get('questions.predefined.q13')).toBe('¿Cómo se llamaba tu primera mascota?');
  });

  it('a card renders in the language asked for, the same template for both', () => {
    const renderer = new CardRenderer();
    const en = renderer.render('moreInfoRequired', { orgName: 'Contoso', upn: 'adele@contoso.com', learnMoreUrl: 'https://aka.ms/x' });
    const es = renderer.render(
      'moreInfoRequired',
      { orgName: 'Contoso', upn: 'adele@contoso.com', learnMoreUrl: 'https://aka.ms/x' },
      undefined,
      'es',
    );
    expect(en.text).toContain('More information required');
    expect(es.text).toContain('Se necesita más información');
    expect(es.actions.map((a) => a.title)).toEqual(['Siguiente', 'Necesito ayuda']);
  });
});
