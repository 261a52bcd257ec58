import type { IntentClassifier } from '../../src/conversation/nlu';
import { sharedClassifier } from '../../src/conversation/nlu';
import { read, readClassification, SENSITIVE } from '../../src/conversation/reading';

const reading = async (text: string) => read(await sharedClassifier(), text);

describe('what a typed text is taken to mean', () => {
  it.each([
    ['I want to talk to a person', 'helpDesk'],
    ['can someone call me', 'helpDesk'],
    ['esto no funciona, necesito ayuda', 'helpDesk'],
    ['delete my old phone', 'securityInfo.delete'],
    ['quiero borrar mi metodo de correo', 'securityInfo.delete'],
    ['i lost my authenticator app', 'lostApp'],
    ['I uninstalled microsoft authenticator', 'lostApp'],
    ['perdi mi telefono', 'lostPhone'],
    ['my new number is (201) 555-0123', 'newNumber'],
    ['the code doesnt work', 'codeNotWorking'],
    ['the help desk gave me a pass', 'accessPass'],
    ['what can you do', 'help'],
    ["forget it, i'll do this later", 'cancel'],
    ['lets start from scratch', 'startOver'],
    ['show my security info', 'securityInfo.show'],
    ['add my email', 'securityInfo.add'],
    ['change my default to text', 'securityInfo.default'],
    ['can we speak spanish', 'changeLanguage'],
  ])('"%s" means %s', async (text, intent) => {
    expect(await reading(text)).toMatchObject({ kind: 'intent', intent });
  });

  // Near misses: the words of a sensitive intent, meaning something else.
  it.each([
    'delete the message i just sent you',
    'can you remove me from this group chat',
    'please remove the meeting from my calendar',
    'do not delete my phone',
    "i don't want to remove any of my methods",
    'no borres mi correo',
    'borra el historial del chat',
    'I lost my car keys',
    'my banking app keeps crashing',
    'i deleted the instagram app',
    'mi hijo perdio su app de juegos',
    'I talked to a person at the help desk yesterday',
    'someone from IT will call me later',
    "no need to call me, i'm fine",
    'no necesito hablar con nadie',
    'ayer hable con alguien de soporte y ya esta resuelto',
    'the person next to me is very loud',
  ])('a sentence that means something else never opens a ticket or deletes a method: "%s"', async (text) => {
    const result = await reading(text);
    expect(result.kind === 'intent' && SENSITIVE.has(result.intent) ? result.intent : 'nothing sensitive').toBe('nothing sensitive');
  });

  it('a sensitive intent needs a higher score than the others', () => {
    const scored = (label: string, score: number) => ({ language: 'en' as const, ranked: [{ label: label as never, score }] });
    expect(readClassification('delete my phone', scored('securityInfo.delete', 0.6))).toMatchObject({ kind: 'unsure' });
    expect(readClassification('delete my phone', scored('securityInfo.delete', 0.8))).toMatchObject({ kind: 'intent' });
    expect(readClassification('add my phone', scored('securityInfo.add', 0.6))).toMatchObject({ kind: 'intent' });
  });

  it('"I deleted the app" is a lost app, never a deletion; "delete the app" never a lost app', () => {
    const sure = (label: string) => ({ language: 'en' as const, ranked: [{ label: label as never, score: 1 }] });
    expect(readClassification('i deleted the authenticator app', sure('securityInfo.delete'))).toMatchObject({ kind: 'unsure' });
    expect(readClassification('delete the authenticator app', sure('lostApp'))).toMatchObject({ kind: 'unsure' });
    expect(readClassification('borre el autenticador', sure('lostApp'))).toMatchObject({ kind: 'intent' });
  });

  it('below the threshold the two likeliest are offered, never what the sentence refuses', () => {
    const ranked = [
      { label: 'securityInfo.delete' as const, score: 0.5 },
      { label: 'lostPhone' as const, score: 0.4 },
      { label: 'newNumber' as const, score: 0.35 },
    ];
    expect(readClassification('my old phone', { language: 'en', ranked })).toEqual({
      kind: 'unsure',
      likeliest: ['securityInfo.delete', 'lostPhone'],
      language: 'en',
    });
    expect(readClassification('do not delete my old phone', { language: 'en', ranked })).toMatchObject({
      likeliest: ['lostPhone', 'newNumber'],
    });
  });

  it.each(['482 913', '482-913', 'my code is 48 29 13', 'ABCD-EFGH-JKMN'])(
    'a code or a pass is never sent to the classifier: "%s"',
    async (text) => {
      const classifier = {
        classify: () => {
          throw new Error('a code reached the classifier');
        },
      } as unknown as IntentClassifier;
      expect(await read(classifier, text)).toEqual({ kind: 'secret' });
    },
  );

  it('keeps the language of the text with what it means', async () => {
    expect(await reading('quiero hablar con una persona')).toMatchObject({ intent: 'helpDesk', language: 'es' });
    expect(await reading('I want to talk to a person')).toMatchObject({ intent: 'helpDesk', language: 'en' });
  });
});
