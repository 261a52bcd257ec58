import { cryptoRandom } from '../../src/verification/ports';
import { SecretBox } from '../../src/verification/secretBox';
import { testKey } from '../support/keys';

describe('secrets at rest', () => {
  const secret = Buffer.from('0123456789abcdefghij');

  it('seals with AES-256-GCM under a key id and opens in the same context', () => {
    const box = new SecretBox([testKey('2026-11')], cryptoRandom);
    const sealed = box.seal(secret, 'totp:u1:m1');
    expect(sealed.split('.').slice(0, 2)).toEqual(['v1', '2026-11']);
    expect(sealed).not.toContain(secret.toString('base64url'));
    expect(box.open(sealed, 'totp:u1:m1')).toEqual(secret);
  });

  it('never seals twice the same way (fresh nonce each time)', () => {
    const box = new SecretBox([testKey()], cryptoRandom);
    expect(box.seal(secret, 'c')).not.toBe(box.seal(secret, 'c'));
  });

  it('refuses to open in another context, after tampering, or with an unknown key', () => {
    const box = new SecretBox([testKey('a')], cryptoRandom);
    const sealed = box.seal(secret, 'totp:u1:m1');
    expect(() => box.open(sealed, 'totp:u2:m1')).toThrow(expect.objectContaining({ code: 'decryption_failed' }));
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x'.repeat(20)).toString('base64url');
    expect(() => box.open(parts.join('.'), 'totp:u1:m1')).toThrow(expect.objectContaining({ code: 'decryption_failed' }));
    expect(() => new SecretBox([testKey('b')], cryptoRandom).open(sealed, 'totp:u1:m1')).toThrow('no key with id "a"');
    expect(() => box.open('garbage', 'totp:u1:m1')).toThrow('malformed');
  });

  it('keys rotate: a new first key seals, the old one still opens what it sealed', () => {
    const old = testKey('old');
    const sealedBefore = new SecretBox([old], cryptoRandom).seal(secret, 'c');
    const rotated = new SecretBox([testKey('new'), old], cryptoRandom);
    expect(rotated.open(sealedBefore, 'c')).toEqual(secret);
    expect(rotated.seal(secret, 'c').split('.')[1]).toBe('new');
  });

  it('names a value under every key, the primary first, as keyedHash writes it, and never in the clear', () => {
    const [a, b] = [testKey('a'), testKey('b')];
    const before = new SecretBox([a], cryptoRandom);
    const rotated = new SecretBox([b, a], cryptoRandom);
    const name = rotated.keyedNames('+12015550123').of('phone:');
    expect(name.names).toEqual([
      `phone:${new SecretBox([b], cryptoRandom).keyedHash('+12015550123')}`,
      `phone:${before.keyedHash('+12015550123')}`,
    ]);
    expect(name.names.join()).not.toContain('2015550123');
    expect(name.sealed()).not.toContain('2015550123');
  });

  it('a sealed name opens, after a rotation, to the names under the keys listed then', () => {
    const [a, b] = [testKey('a'), testKey('b')];
    const sealed = new SecretBox([a], cryptoRandom).keyedNames('+12015550123').of('texts:in:').sealed();
    const rotated = new SecretBox([b, a], cryptoRandom);
    expect(rotated.reopenName(sealed).names).toEqual(rotated.keyedNames('+12015550123').of('texts:in:').names);
    expect(() => new SecretBox([b], cryptoRandom).reopenName(sealed)).toThrow('no key with id "a"');
    expect(() => rotated.reopenName(rotated.seal(Buffer.from('["x:","y"]'), 'another context'))).toThrow(
      expect.objectContaining({ code: 'decryption_failed' }),
    );
  });

  it('seals again under the primary key only what an older key sealed', () => {
    const [a, b] = [testKey('a'), testKey('b')];
    const sealed = new SecretBox([a], cryptoRandom).seal(secret, 'c');
    const rotated = new SecretBox([b, a], cryptoRandom);
    const again = rotated.reseal(sealed, 'c')!;
    expect(again.split('.')[1]).toBe('b');
    expect(new SecretBox([b], cryptoRandom).open(again, 'c')).toEqual(secret);
    expect(rotated.reseal(again, 'c')).toBeUndefined();
  });

  it('refuses two keys with one id (which of them would open?)', () => {
    expect(() => new SecretBox([testKey('a'), testKey('a')], cryptoRandom)).toThrow('same id');
  });
});
