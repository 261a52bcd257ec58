import { Writable } from 'node:stream';
import { createLogger, REDACTED_PATHS } from '../../src/kit/log';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('info', stream), output: () => lines.join('') };
}

describe('logs never show secrets', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it.each(REDACTED_PATHS.filter((p) => !p.includes('[') && !p.startsWith('*.')).map((p) => [p]))('"%s" is redacted', (field) => {
    const { log, output } = capture();
    const entry: Record<string, unknown> = {};
    let cursor = entry;
    const parts = field.split('.');
    parts.slice(0, -1).forEach((part) => {
      cursor[part] = {};
      cursor = cursor[part] as Record<string, unknown>;
    });
    cursor[parts.at(-1)!] = secret;
    log.info(entry, 'event');
    expect(output()).toContain('[redacted]');
    expect(output()).not.toContain(secret);
  });

  it('redacts secrets one level down, e.g. inside a profile or an enrollment', () => {
    const { log, output } = capture();
    log.info({ enrollment: { secretKey: secret, otpauthUri: `otpauth://totp/x?secret=${secret}` }, pending: { code: '123456' } }, 'event');
    expect(output()).not.toContain(secret);
    expect(output()).not.toContain('123456');
  });
});
