import { contactCard, contactText } from '../../src/campaigns/message';
import { type Campaign, campaignSpecSchema } from '../../src/campaigns/model';
import { CardRenderer } from '../../src/presentation/cards';
import { GSM7_SEGMENT, smsLength } from '../../src/presentation/smsText';
import { DAY, T0 } from './support';

const campaign: Campaign = {
  id: 'cmp-1',
  spec: campaignSpecSchema.parse({
    name: 'Autenticador para todos',
    roles: ['employee'],
    methods: ['authenticatorApp', 'phone'],
    startsAt: new Date(T0).toISOString(),
    deadline: '2026-12-18T16:00:00Z',
    maxSnoozes: 3,
  }),
  state: 'active',
  createdAt: T0 - DAY,
  createdBy: 'admin',
  targeted: 1,
};

const contact = (language: 'en' | 'es', snoozes = 1) => ({
  orgName: 'Contoso',
  campaign,
  record: { snoozes, step: 1 },
  timeZone: 'Europe/Madrid',
  language,
});

describe("a campaign's contact in the person's language", () => {
  const cards = new CardRenderer();

  it('the card in Spanish: why, by when, the snoozes left, and its two actions, in Spanish', () => {
    const card = contactCard(cards, contact('es'), 'nonce-1');
    expect(card.text).toContain('Contoso: recordatorio: configura tu aplicación de autenticación y teléfono');
    expect(card.text).toContain('viernes, 18 de diciembre, 17:00 (Europe/Madrid)');
    expect(card.text).toContain('te quedan 2 aplazamientos');
    expect(card.actions.map((a) => a.title)).toEqual(['Configurarlo ahora', 'Ahora no']);
  });

  it('the same card in English, and "required" once no snooze is left (no "Not now" then)', () => {
    expect(contactCard(cards, contact('en'), 'n').text).toContain('2 snoozes left');
    const last = contactCard(cards, contact('en', 3), 'n');
    expect(last.text).toContain('This is required now: please set it up before Friday 18 December at 17:00 (Europe/Madrid).');
    expect(last.actions.map((a) => a.title)).toEqual(['Set it up now']);
  });

  it('the text in Spanish is GSM-7 (á í ó ú folded, docs/i18n.md) and says where to act and how to stop', () => {
    const text = contactText(contact('es'));
    expect(text).toContain('recordatorio: configura tu aplicacion de autenticacion y teléfono (Autenticador para todos)');
    expect(text).toContain('Responde STOP');
    expect(smsLength(text).segment).toBe(GSM7_SEGMENT);
  });
});
