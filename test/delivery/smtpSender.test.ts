import { SMTP_TIMEOUTS, SmtpSender } from '../../src/delivery/smtpSender';
import { createLogger } from '../../src/kit/log';
import { SmtpDouble } from '../support/smtpDouble';

/** Short waits for the tests of a server that hangs; the others use production's, SMTP_TIMEOUTS. */
const SHORT = { connectMs: 300, greetingMs: 300, socketMs: 300, totalMs: 900 };

describe('email delivery through the real nodemailer transport, against a local SMTP server', () => {
  let smtp: SmtpDouble;
  const sender = (timeouts = SHORT) => new SmtpSender(smtp.url, 'security@contoso.com', createLogger('silent'), timeouts);

  beforeEach(async () => {
    smtp = await new SmtpDouble().start();
  });
  afterEach(() => smtp.stop());

  it('sends the code from our address to the person', async () => {
    expect(await sender(SMTP_TIMEOUTS).sendEmail('adele@example.com', 'Your code', '123456 is your Contoso verification code.')).toEqual({
      ok: true,
    });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ from: 'security@contoso.com', to: ['adele@example.com'] });
    expect(smtp.received[0]!.text).toContain('123456 is your Contoso verification code.');
  });

  it('a 5xx for the recipient is permanent (rejected); a 4xx is not (unavailable: try again later)', async () => {
    smtp.failNext({ stage: 'rcpt', code: 550, message: 'No such user' }, { stage: 'data', code: 451, message: 'Try again later' });
    expect(await sender(SMTP_TIMEOUTS).sendEmail('nobody@example.com', 's', 'b')).toEqual({
      ok: false,
      failure: 'rejected',
      permanent: true,
    });
    expect(await sender(SMTP_TIMEOUTS).sendEmail('adele@example.com', 's', 'b')).toEqual({
      ok: false,
      failure: 'unavailable',
      permanent: false,
    });
  });

  it.each([
    ['never greets', 'connect' as const],
    ['hangs after the message is sent', 'data' as const],
  ])(
    'gives up on a server that %s, within its time-outs, as unavailable (nodemailer alone waited 30 s to 10 minutes)',
    async (_name, stage) => {
      smtp.failNext({ stage, hang: true });
      const started = Date.now();
      expect(await sender().sendEmail('adele@example.com', 's', 'b')).toEqual({ ok: false, failure: 'unavailable', permanent: false });
      // Far below nodemailer's own waits (30 s to 10 minutes), with room for a loaded machine.
      expect(Date.now() - started).toBeLessThan(10_000);
    },
  );

  it('keeps every production wait within 10 s', () => {
    expect(Math.max(...Object.values(SMTP_TIMEOUTS))).toBeLessThanOrEqual(10_000);
  });
});
