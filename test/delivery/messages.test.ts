import { OutgoingMessages } from '../../src/delivery/messages';
import type { Language } from '../../src/kit/texts';
import { setTurnLanguage, withTurnLanguage } from '../../src/kit/turnLanguage';
import type { CodeSender, OutgoingCall } from '../../src/verification/ports';

/** A sender that keeps what it was asked to send. */
function recording() {
  const sent: Array<{ kind: string; to: string; subject?: string; body: string; call?: OutgoingCall }> = [];
  const ok = { ok: true } as const;
  const sender: CodeSender = {
    sendSms: async (to, body) => {
      sent.push({ kind: 'sms', to, body });
      return ok;
    },
    sendEmail: async (to, subject, body) => {
      sent.push({ kind: 'email', to, subject, body });
      return ok;
    },
    placeCall: async (to, call) => {
      sent.push({ kind: 'voice', to, body: call.greeting, call });
      return ok;
    },
  };
  return { sender, sent };
}

async function sendAll(language: Language) {
  const { sender, sent } = recording();
  await withTurnLanguage(async () => {
    setTurnLanguage(language);
    const messages = new OutgoingMessages(sender, 'Contoso');
    await messages.sendCode({ channel: 'sms', address: '+12015550123' }, '123456', 10);
    await messages.sendCode({ channel: 'email', address: 'adele@fabrikam.com' }, '654321', 10);
    await messages.placeCall('+12015550123', { callToken: 't' });
    await messages.notifyChange({ channel: 'sms', address: '+12015550123' }, { what: 'added', kind: 'alternatePhone' });
  });
  return sent;
}

describe('what the verification core sends, in the language of the turn', () => {
  it('in English (the default, and outside any turn)', async () => {
    const [sms, email, call, notice] = await sendAll('en');
    expect(sms?.body).toBe("123456 is your Contoso verification code. It expires in 10 minutes. Don't share it with anyone.");
    expect(email?.subject).toBe('Your Contoso verification code');
    expect(call?.call).toMatchObject({ voice: 'en-US', noAnswer: 'We did not get your answer. Goodbye.' });
    expect(notice?.body).toBe(
      "Contoso: your security info changed (alternate phone added). If this wasn't you, contact your help desk right away.",
    );
  });

  it('in Spanish: texts in GSM-7 (á í ó ú unaccented), the email as written, the call in a Spanish voice', async () => {
    const [sms, email, call, notice] = await sendAll('es');
    expect(sms?.body).toBe('123456 es tu codigo de verificacion de Contoso. Caduca en 10 minutos. No lo compartas con nadie.');
    expect(email?.subject).toBe('Tu código de verificación de Contoso');
    expect(email?.body).toContain('Usa el código 654321');
    expect(call?.body).toMatch(/^Hola\. Te llamamos de Contoso para verificar tu teléfono/);
    expect(call?.call).toMatchObject({ voice: 'es-US', noAnswer: 'No recibimos tu respuesta. Adiós.' });
    expect(notice?.body).toBe(
      'Contoso: tu informacion de seguridad cambio (teléfono alternativo agregado). Si no fuiste tu, avisa ya a tu servicio de ayuda.',
    );
  });
});
