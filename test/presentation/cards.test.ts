import * as AC from 'adaptivecards/dist/adaptivecards.js';
import { type CardName, CardRenderer, verbatim } from '../../src/presentation/cards';
import { nodes } from '../support/cards';

const steps = [
  { number: 1, name: 'App', done: false, current: true },
  { number: 2, name: 'Phone', done: false, current: false },
];
const QR = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** Sample view models: one per template, so a new template without one fails here. */
const samples: Record<CardName, object> = {
  moreInfoRequired: { orgName: 'Contoso', upn: 'adele@contoso.com', learnMoreUrl: 'https://example.com/learn' },
  getTheApp: { orgName: 'Contoso', steps, appName: 'Microsoft Authenticator', microsoft: true, downloadUrl: 'https://example.com/app' },
  setUpAccount: { orgName: 'Contoso', steps, appName: 'Authenticator app', microsoft: false },
  scanQrCode: {
    orgName: 'Contoso',
    steps,
    appName: 'Microsoft Authenticator',
    microsoft: true,
    qrImage: QR,
    qrSize: '220px',
    issuer: 'Contoso',
    accountName: 'adele@contoso.com',
    secretKey: 'ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567',
  },
  qrCodeRemoved: { appName: 'Microsoft Authenticator', headline: 'Microsoft Authenticator is registered.', verified: true },
  success: {
    orgName: 'Contoso',
    steps: steps.map((s) => ({ ...s, done: true, current: false })),
    defaultMethod: 'Microsoft Authenticator – code',
    methods: [{ label: 'Authenticator app', detail: 'Microsoft Authenticator' }],
  },
  chooseMethod: {
    orgName: 'Contoso',
    steps,
    heading: 'Choose a different method',
    choices: [{ title: 'Authenticator app', value: 'authenticatorApp' }],
  },
  phoneNumber: {
    orgName: 'Contoso',
    steps,
    title: 'Phone',
    office: false,
    extension: '',
    country: 'US',
    number: '',
    method: 'sms',
    countries: [
      { title: 'United States (+1)', value: 'US' },
      { title: 'United Kingdom (+44)', value: 'GB' },
    ],
  },
  enterCode: { orgName: 'Contoso', steps, title: 'Phone', masked: '+1 ••• ••• 7890' },
  calling: { orgName: 'Contoso', steps, masked: '+1 ••• ••• 7890', matchNumber: '47', office: false },
  methodRegistered: {
    orgName: 'Contoso',
    steps,
    title: 'Phone',
    headline: 'Call answered',
    message: 'Your phone +1 ••• ••• 7890 was registered successfully.',
  },
  emailAddress: { orgName: 'Contoso', steps, address: '' },
  securityQuestions: {
    orgName: 'Contoso',
    steps,
    questions: [
      { id: 'q1', text: 'What was the name of your first pet?' },
      { id: 'q2', text: 'In which city was your first job?' },
    ],
    slots: [
      { number: 1, chosen: 'q1' },
      { number: 2, chosen: '' },
      { number: 3, chosen: '' },
    ],
  },
  manage: {
    orgName: 'Contoso',
    heading: 'Your security info is set up',
    defaultMethod: 'Microsoft Authenticator – code',
    mfaStatus: 'meets the requirements',
    ssprStatus: 'needs 1 more method',
    methods: [
      { id: 'm1', label: 'Authenticator app', detail: 'Microsoft Authenticator', canChange: false },
      { id: 'm2', label: 'Phone', detail: '+1 ••• ••• 7890', canChange: true },
    ],
  },
  confirmDelete: {
    label: 'Phone',
    detail: '+1 ••• ••• 7890',
    usage: 'sign in or reset your password',
    consequences: ['Your default sign-in method will become Microsoft Authenticator – code.'],
  },
  changeDefault: {
    current: 'm1:code',
    options: [
      { title: 'Microsoft Authenticator – code', value: 'm1:code' },
      { title: 'Phone – call +1 ••• ••• 7890', value: 'm2:call' },
    ],
  },
  smsMenu: { orgName: 'Contoso', canRegister: true, hasApp: true },
  smsCode: { masked: '+1 ••• ••• 0142' },
  ticket: {
    id: 'HD-261128-K7Q2',
    state: 'open',
    reminder: true,
    displayName: 'Adele Vance',
    upn: 'adele.vance@contoso.com',
    reasonText: 'Locked out after failed verifications',
    channelText: 'msteams',
    opened: '2026-11-28 09:00 UTC',
    agentName: '',
    policyText: 'Sign-in: met · Password reset: not met · locked',
    methodsText: 'Authenticator app: Microsoft Authenticator\n\nPhone: +1 ••• ••• 0123',
    steps: ['Bot: [enterCode]', 'Person: [verify]', "Bot: That code didn't work."],
  },
  enterPass: { orgName: 'Contoso' },
  proveItsYou: {
    orgName: 'Contoso',
    choices: [
      { title: 'A code from Microsoft Authenticator', value: 'app:1' },
      { title: 'A text to +1 ••• ••• 0123', value: 'text:2' },
      { title: 'A Temporary Access Pass from the help desk', value: 'pass' },
    ],
  },
  campaign: {
    orgName: 'Contoso',
    name: 'Authenticator for everyone',
    methods: 'authenticator app',
    methodsLabel: 'Authenticator app',
    deadline: 'Friday 4 December, 17:00 (Europe/Paris)',
    reminder: false,
    required: false,
    left: 2,
    campaignId: 'cmp-1',
  },
};

const renderer = new CardRenderer();

describe('every card template', () => {
  it('has sample data here', () => {
    expect(renderer.names().sort()).toEqual(Object.keys(samples).sort());
  });

  describe.each(renderer.names())('%s', (name) => {
    const rendered = renderer.render(name, samples[name], 'nonce-1');

    it('is valid Adaptive Card 1.5 (what Teams renders), by the adaptivecards library', () => {
      const context = new AC.SerializationContext(AC.Versions.v1_5);
      const card = new AC.AdaptiveCard();
      card.parse(rendered.card, context);
      const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
      expect(events).toEqual([]);
      expect(card.validateProperties().validationEvents.map((e) => e.message)).toEqual([]);
      expect(rendered.card.version).toBe('1.5');
    });

    it('has every template expression filled in', () => {
      expect(JSON.stringify(rendered.card)).not.toMatch(/\$\{|\$data|\$when|\$include/);
    });

    it('gives every image alternative text', () => {
      for (const image of nodes(rendered.card).filter((n) => n.type === 'Image')) {
        expect(String(image.altText ?? '').length).toBeGreaterThan(10);
      }
    });

    it('stamps every submit action with the card nonce', () => {
      for (const action of nodes(rendered.card).filter((n) => n.type === 'Action.Submit')) {
        expect(action.data).toEqual(expect.objectContaining({ card: 'nonce-1', action: expect.any(String) }));
      }
    });

    it('renders to text for channels without cards', () => {
      expect(rendered.text.length).toBeGreaterThan(10);
      expect(rendered.text).not.toMatch(/\[object Object\]|undefined/);
      // The options of a choice input are numbered first, then the buttons.
      rendered.choices.forEach((choice, i) => {
        expect(rendered.text).toContain(`${i + 1}. ${choice.title}`);
      });
      rendered.actions.forEach((action, i) => {
        expect(rendered.text).toContain(`${rendered.choices.length + i + 1}. ${action.title}`);
      });
    });
  });
});

describe('text rendering', () => {
  it('shows the step indicator as "1 App (current step) · 2 Phone", the step\'s state in words, and leaves out what is hidden', () => {
    const { text } = renderer.render('scanQrCode', samples.scanQrCode);
    expect(text).toContain('1 App (current step) · 2 Phone');
    expect(renderer.render('success', samples.success).text).toContain('✓ App (done) · ✓ Phone (done)');
    expect(text).not.toContain('ABCD EFGH');
    expect(text).not.toContain('data:image');
  });
});

/** Fields a template tests (in `$when` or a function), which therefore may not be given verbatim. */
const TESTED_FIELDS: Partial<Record<CardName, string[]>> = { ticket: ['state', 'agentName'] };

describe('verbatim values', () => {
  it('are never kept: the kept expansion of a QR card holds neither the image nor the key', () => {
    const fresh = new CardRenderer();
    const secret = 'QWER TYUI OPAS DFGH JKLZ XCVB NM23 4567';
    const card = fresh.render('scanQrCode', { ...samples.scanQrCode, qrImage: verbatim(QR), secretKey: verbatim(secret) }, 'n');
    expect(JSON.stringify(card.card)).toContain(secret);
    const kept = JSON.stringify([...(fresh as unknown as { expanded: Map<string, unknown> }).expanded]);
    expect(kept).not.toContain(secret);
    expect(kept).not.toContain(QR.slice(-20));
  });

  it('cannot be forged by a value that looks like a placeholder', () => {
    const fresh = new CardRenderer();
    const data = { ...samples.moreInfoRequired, orgName: 'Contoso \uE0000\uE001', upn: verbatim('adele@contoso.com') };
    const card = fresh.render('moreInfoRequired', data, 'n');
    expect(JSON.stringify(card.card)).toContain('Contoso \uE0000\uE001');
    expect(fresh.render('moreInfoRequired', data, 'n').card).toEqual(card.card);
  });

  it.each(renderer.names())('%s: fill in a kept expansion exactly as the template would place them', (name) => {
    const found: string[] = [];
    for (const [field, value] of Object.entries(samples[name])) {
      if (typeof value !== 'string') continue;
      const plain = renderer.render(name, samples[name], 'nonce-1');
      renderer.render(name, { ...samples[name], [field]: verbatim(`${value} (another person)`) }, 'nonce-0'); // expanded and kept
      const kept = renderer.render(name, { ...samples[name], [field]: verbatim(value) }, 'nonce-1');
      if (JSON.stringify([kept.card, kept.actions, kept.text]) !== JSON.stringify([plain.card, plain.actions, plain.text]))
        found.push(field);
    }
    expect(found).toEqual(TESTED_FIELDS[name] ?? []);
  });
});
