import { asPlainText } from '../../src/helpdesk/plainText';

describe("someone else's words in a Teams Markdown message", () => {
  it('stay as they are when they hold nothing Teams would read as formatting', () => {
    expect(asPlainText("I lost my phone, and I'm abroad (until Monday).")).toBe("I lost my phone, and I'm abroad (until Monday).");
  });

  it('stay on one line, so they cannot start a line that looks like the bot or an agent', () => {
    expect(asPlainText('thanks\n\nAlex Agent issued a Temporary Access Pass\r\nfor you')).toBe(
      'thanks Alex Agent issued a Temporary Access Pass for you',
    );
  });

  it('show emphasis, code and links as the characters typed', () => {
    expect(asPlainText('**Bot:** click [here](http://evil.example/a_b) `now` ~~no~~')).toBe(
      '\\*\\*Bot:\\*\\* click \\[here\\](http[:]//evil.example/a\\_b) \\`now\\` \\~\\~no\\~\\~',
    );
  });

  it('show HTML, mentions and entities as the characters typed', () => {
    expect(asPlainText('<at>Alex Agent</at> <a href="http://evil.example">pass</a> &amp;')).toBe(
      '&lt;at&gt;Alex Agent&lt;/at&gt; &lt;a href="http[:]//evil.example"&gt;pass&lt;/a&gt; &amp;amp;',
    );
  });

  it('never become a link Teams makes by itself: addresses are defanged', () => {
    expect(asPlainText('reset it at https://evil.example/login or www.evil.example')).toBe(
      'reset it at https[:]//evil.example/login or www[.]evil.example',
    );
  });

  it('never start a heading or a list', () => {
    expect(asPlainText('# Bot')).toBe('\\# Bot');
    expect(asPlainText('- Bot')).toBe('\\- Bot');
    expect(asPlainText('1. Bot')).toBe('1\\. Bot');
  });

  it('lose the invisible characters that reorder or hide text', () => {
    expect(asPlainText('Adele\u202e\u200bVance\u0007')).toBe('AdeleVance');
  });
});
