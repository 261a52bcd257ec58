import { checkTotp, isCodeShaped, normaliseCode, otpauthUri, totpCodeAt } from '../../src/verification/totp';

// RFC 6238 Appendix B and RFC 4226 Appendix D use the ASCII secret "12345678901234567890".
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

describe('TOTP against the RFC test vectors', () => {
  // RFC 6238 Appendix B (SHA-1): 8-digit values; a 6-digit code is the same number mod 10^6 (RFC 4226 §5.3).
  const rfc6238: Array<[number, string]> = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];

  it.each(rfc6238)('at T = %i s the code is the last 6 digits of %s', (seconds, eightDigits) => {
    const code = eightDigits.slice(-6);
    expect(totpCodeAt(RFC_SECRET, seconds * 1000)).toBe(code);
    expect(checkTotp(RFC_SECRET, code, seconds * 1000)).toEqual({ valid: true, timeStep: Math.floor(seconds / 30) });
  });

  // RFC 4226 Appendix D: HOTP values for counters 0..9. TOTP at T = counter × 30 s is HOTP(counter).
  const rfc4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

  it.each(rfc4226.map((code, counter) => [counter, code] as const))('HOTP(%i) = %s', (counter, code) => {
    const at = counter * 30_000;
    expect(totpCodeAt(RFC_SECRET, at)).toBe(code);
    expect(checkTotp(RFC_SECRET, code, at)).toEqual({ valid: true, timeStep: counter });
  });
});

describe('the ±1 time step window', () => {
  const now = 1111111111 * 1000;
  const step = Math.floor(now / 30_000);

  it('accepts the previous and the next step, with the step each code belongs to', () => {
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now - 30_000), now)).toEqual({ valid: true, timeStep: step - 1 });
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now + 30_000), now)).toEqual({ valid: true, timeStep: step + 1 });
  });

  it('refuses codes two steps away', () => {
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now - 60_000 - 1_000), now).valid).toBe(false);
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now + 60_000 + 1_000), now).valid).toBe(false);
  });
});

describe('code shape', () => {
  it.each(['12345', '1234567', 'abcdef', '12345a', '', '１２３４５６', '12 345 6'])('"%s" is not a code', (input) => {
    expect(isCodeShaped(input)).toBe(false);
    expect(checkTotp(RFC_SECRET, input, 0)).toEqual({ valid: false });
  });

  it('forgives spaces and dashes people type between the digits', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('123-456')).toBe('123456');
  });
});

describe('otpauth URI', () => {
  it('carries issuer, account, a base32 secret and the parameters every app reads', () => {
    const uri = new URL(otpauthUri({ issuer: 'Contoso', accountName: 'adele@contoso.com', secret: RFC_SECRET }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Contoso:adele@contoso.com');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri.searchParams.get('issuer')).toBe('Contoso');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');
    expect((uri.searchParams.get('algorithm') ?? 'SHA1').toUpperCase()).toBe('SHA1');
  });
});
