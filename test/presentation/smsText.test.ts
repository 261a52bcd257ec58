import { smsLength, toGsm7, toSmsMessages } from '../../src/presentation/smsText';

describe('replies as text messages', () => {
  it('swap the cards’ typographic characters for GSM-7 ones, so a segment holds 160 characters, not 70', () => {
    expect(toGsm7('+1 ••• ••• 0123 · Phone – call “now”…')).toBe('+1 *** *** 0123 - Phone - call "now"...');
    expect(smsLength('+1 *** *** 0123')).toEqual({ length: 15, segment: 160 });
    expect(smsLength('€[]')).toEqual({ length: 6, segment: 160 }); // the extension set costs two
    expect(smsLength('Zoë 😀')).toEqual({ length: 6, segment: 70 });
  });

  it('keep a short reply in one message and split a long one at line ends, then at spaces, never past a segment', () => {
    expect(toSmsMessages('Contoso security info\nReply with a number:\n1. Done')).toEqual([
      'Contoso security info\nReply with a number:\n1. Done',
    ]);
    const lines = Array.from({ length: 12 }, (_, i) => `${i + 1}. An option with a fairly long title`);
    const messages = toSmsMessages(lines.join('\n'));
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.join('\n')).toBe(lines.join('\n'));
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(160);

    const long = `${'word '.repeat(70)}end`;
    const parts = toSmsMessages(long);
    expect(parts.every((p) => p.length <= 160 && !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(parts.join(' ')).toBe(long);
  });

  it('cut a message that needs UCS-2 at 70 characters (each message is encoded on its own)', () => {
    const parts = toSmsMessages(`Zoë, ${'bonjour '.repeat(30)}`);
    expect([...parts[0]!].length).toBeLessThanOrEqual(70);
    expect(parts[0]).toMatch(/^Zoë, bonjour/);
    for (const part of parts) expect(smsLength(part).length).toBeLessThanOrEqual(smsLength(part).segment);
  });

  it('send nothing for an empty reply', () => {
    expect(toSmsMessages('  \n ')).toEqual([]);
  });
});
