import { appCodeFor } from '../support/authenticatorApp';
import { BotFixture } from '../support/botFixture';
import { type Card, imageOf, saidIn, submitActions } from '../support/cards';
import { FrozenClock } from '../support/clock';
import { lastTextedCode } from '../support/outbox';
import { ErrorLog, expectAnswered, fuzz, RejectionWatch, SEED, seededRandom, trim } from './fuzzing';
import { choiceInputs, enrollsNormally, Person, teamsUser } from './person';
import { submitPlan } from './submits';

/** The action names of a card's buttons, sorted: which screen it is, give or take its words. */
function signature(card: Card | undefined): string {
  return [...new Set(submitActions(card).map((a) => String(a.data.action)))].sort().join(',');
}

type Group = 'newcomer' | 'finisher' | 'enrolled';

/** A screen a person can reach, how they reach it from anywhere, and how to tell it is in front of them. */
interface Screen {
  readonly name: string;
  /** Whose screen it is: someone in the wizard, someone at its last steps, someone with their security info set up. */
  readonly group: Group;
  reach(person: Person): Promise<void>;
  is(person: Person): boolean;
}

describe('every card a person can reach, sent generated submits', () => {
  let bot: BotFixture;
  const clock = new FrozenClock();
  const rejections = new RejectionWatch();
  const errors = new ErrorLog();
  const checks = { rejections, errors, url: () => bot.app.url };
  /** Everyone each group used, in order; the last one is the group's current person. */
  const people: Record<Group, Person[]> = { newcomer: [], finisher: [], enrolled: [] };
  let phones = 0;
  let emails = 0;

  /**
   * A number nobody used yet today (the cooldown and daily caps are per
   * number), as typed: 201 555 0100, 201 555 0101... After a thousand, the
   * frozen clock moves on a day and they start again.
   */
  const newPhone = () => {
    const n = phones++;
    if (n > 0 && n % 1000 === 0) clock.advance(25 * 60 * 60_000);
    return `${[201, 202, 203, 205, 206, 207, 208, 209, 212, 213][Math.floor(n / 100) % 10]} 555 01${String(n % 100).padStart(2, '0')}`;
  };
  const codeTextedTo = (e164: string) => lastTextedCode(bot.outbox, e164);

  async function newPerson(group: Group): Promise<Person> {
    const person = new Person(bot, teamsUser(bot, people[group].length, group), newPhone());
    people[group].push(person);
    if (group === 'enrolled') uris.set(person, await enrollsNormally(person, clock, codeTextedTo));
    return person;
  }

  beforeAll(async () => {
    rejections.start();
    bot = await BotFixture.start({}, { clock, random: seededRandom(SEED), log: errors.logger });
  });
  afterAll(async () => {
    rejections.stop();
    await bot?.stop();
  });

  // The wizard, from its start.
  const fromTheStart = async (p: Person) => {
    await p.say('start over');
  };
  const toGetTheApp = async (p: Person) => {
    await fromTheStart(p);
    await p.click('Next');
  };
  const toChooseMethod = async (p: Person) => {
    await toGetTheApp(p);
    await p.click('I want to set up a different method');
  };
  const toMethod = (method: string) => async (p: Person) => {
    await toChooseMethod(p);
    await p.click('Next', { method });
  };
  const toPhoneNumber = toMethod('phone');
  // Manage mode.
  const toOverview = async (p: Person) => {
    await p.say('security info');
  };
  /** Manage mode's overview after the step-up has lapsed, then `title`: "First, prove it's you". */
  const toProof = async (p: Person) => {
    clock.advanceMinutes(11);
    await toOverview(p);
    await p.click('Add sign-in method');
  };
  const toProofBy = (prefix: string) => async (p: Person) => {
    await toProof(p);
    const proofs = choiceInputs(p.card).find((c) => c.id === 'proof')?.values ?? [];
    await p.click('Next', { proof: proofs.find((v) => v.startsWith(prefix)) ?? '' });
  };
  /** With the step-up fresh: proves with the app when asked. */
  const proveIfAsked = async (p: Person) => {
    if (!p.text().includes("First, prove it's you")) return;
    const proof = choiceInputs(p.card)
      .find((c) => c.id === 'proof')
      ?.values.find((v) => v.startsWith('app:'));
    await p.click('Next', { proof });
    clock.advance(30_000); // a TOTP code counts once: the next proof needs the next one
    await p.click('Next', { code: appCodeFor(uris.get(p)!, clock.now()) });
  };
  /** The QR codes of the enrolled, read when they enrolled. */
  const uris = new Map<Person, string>();

  const SCREENS: Screen[] = [
    {
      name: 'More information required',
      group: 'newcomer',
      reach: fromTheStart,
      is: (p) => signature(p.card) === 'helpDesk,next' && p.text().includes('More information required'),
    },
    {
      name: 'Get the app',
      group: 'newcomer',
      reach: toGetTheApp,
      is: (p) => signature(p.card) === 'back,differentApp,differentMethod,helpDesk,next',
    },
    {
      name: 'Set up your account',
      group: 'newcomer',
      reach: async (p) => {
        await toGetTheApp(p);
        await p.click('Next');
      },
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,next',
    },
    {
      name: 'Scan the QR code',
      group: 'newcomer',
      reach: async (p) => {
        await toGetTheApp(p);
        await p.click('Next');
        await p.click('Next');
      },
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,verify' && !!imageOf(p.card),
    },
    {
      name: 'Choose a different method',
      group: 'newcomer',
      reach: toChooseMethod,
      is: (p) => signature(p.card) === 'back,choose,helpDesk' && p.text().includes('Choose a different method'),
    },
    {
      name: 'Phone number',
      group: 'newcomer',
      reach: toPhoneNumber,
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,send' && p.text().includes('What phone number'),
    },
    {
      name: 'Phone: enter the texted code',
      group: 'newcomer',
      reach: async (p) => {
        await toPhoneNumber(p);
        await p.click('Next', { country: 'US', number: newPhone(), method: 'sms' });
      },
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,resend,verify' && p.text().includes('code to +'),
    },
    {
      name: 'Phone: calling',
      group: 'newcomer',
      reach: async (p) => {
        await toPhoneNumber(p);
        await p.click('Next', { country: 'US', number: newPhone(), method: 'voice' });
      },
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,resend,switchToSms',
    },
    {
      name: 'Email address',
      group: 'newcomer',
      reach: toMethod('email'),
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,send' && !p.text().includes('What phone number'),
    },
    {
      name: 'Email: enter the emailed code',
      group: 'newcomer',
      reach: async (p) => {
        await toMethod('email')(p);
        await p.click('Next', { address: `fuzz-${emails++}@example.com` });
      },
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,resend,verify' && !p.text().includes('code to +'),
    },
    {
      name: 'Security questions',
      group: 'newcomer',
      reach: toMethod('securityQuestions'),
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,save',
    },
    {
      name: 'Temporary Access Pass',
      group: 'newcomer',
      reach: async (p) => {
        await p.say('temporary access pass');
      },
      is: (p) => signature(p.card) === 'back,helpDesk,redeem',
    },
    {
      name: 'Phone registered',
      group: 'finisher',
      reach: async (p) => {
        await enrollsNormally(p, clock, codeTextedTo, 'registered');
      },
      is: (p) => signature(p.card) === 'helpDesk,next' && p.text().includes('was registered successfully'),
    },
    {
      name: 'Success',
      group: 'finisher',
      reach: async (p) => {
        await enrollsNormally(p, clock, codeTextedTo, 'success');
      },
      is: (p) => signature(p.card) === 'differentMethod,done,helpDesk' && p.text().includes('Success!'),
    },
    {
      name: 'Security info (manage mode)',
      group: 'enrolled',
      reach: toOverview,
      is: (p) => signature(p.card).includes('add,change,changeDefault,delete,done'),
    },
    {
      name: 'Add a method',
      group: 'enrolled',
      reach: async (p) => {
        await toOverview(p);
        await p.click('Add sign-in method');
        await proveIfAsked(p);
      },
      is: (p) => signature(p.card) === 'back,choose,helpDesk' && p.text().includes('Add a method'),
    },
    {
      name: 'Change default',
      group: 'enrolled',
      reach: async (p) => {
        await toOverview(p);
        await p.click('Change default');
        await proveIfAsked(p);
      },
      is: (p) => signature(p.card) === 'back,helpDesk,save',
    },
    {
      name: 'Delete a method: confirm',
      group: 'enrolled',
      reach: async (p) => {
        await toOverview(p);
        if (!submitActions(p.card).some((a) => a.title === 'Delete Security questions')) {
          // Only a method that is not the last of a required kind can be deleted: security questions, added first.
          await p.click('Add sign-in method');
          await proveIfAsked(p);
          await p.click('Next', { method: 'securityQuestions' });
          await p.click('Done', {
            question1: choiceInputs(p.card)[0]?.values[0],
            answer1: 'Springfield',
            question2: choiceInputs(p.card)[1]?.values[1],
            answer2: 'Fluffy',
            question3: choiceInputs(p.card)[2]?.values[2],
            answer3: 'Ogdenville',
          });
          await toOverview(p);
        }
        await p.click('Delete Security questions');
        await proveIfAsked(p);
      },
      is: (p) => signature(p.card) === 'back,confirm,helpDesk',
    },
    {
      name: "Prove it's you",
      group: 'enrolled',
      reach: toProof,
      is: (p) => signature(p.card) === 'back,choose,helpDesk' && p.text().includes("First, prove it's you"),
    },
    {
      name: "Prove it's you: the app's code",
      group: 'enrolled',
      reach: toProofBy('app:'),
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,resend,verify' && p.text().includes('Microsoft Authenticator'),
    },
    {
      name: "Prove it's you: a texted code",
      group: 'enrolled',
      reach: async (p) => {
        clock.advance(61_000); // the resend cooldown of the person's phone
        await toProofBy('send:')(p);
      },
      is: (p) => signature(p.card) === 'back,differentMethod,helpDesk,resend,verify' && p.text().includes('code to +'),
    },
    {
      name: "Prove it's you: a pass",
      group: 'enrolled',
      reach: toProofBy('pass'),
      is: (p) => signature(p.card) === 'back,helpDesk,redeem',
    },
  ];

  /** The group's current person, at the screen: reached again when they left it, by someone new when they cannot be. */
  async function atScreen(screen: Screen): Promise<Person> {
    let person = people[screen.group].at(-1) ?? (await newPerson(screen.group));
    if (screen.is(person)) return person;
    // The person may not get there any more (a lockout, a day's sends used up, a method registered): someone new does.
    const reached = await screen.reach(person).then(
      () => true,
      () => false,
    );
    if (reached && screen.is(person)) return person;
    person = await newPerson(screen.group);
    await screen.reach(person);
    if (!screen.is(person))
      throw new Error(`a new person cannot reach "${screen.name}"; the card in front of them says:\n${person.text()}`);
    return person;
  }

  it.each(SCREENS.map((screen) => [screen.name, screen] as const))(
    '%s: generated submits get no server error, no failed turn, no unhandled rejection; the heap stays bounded',
    async (_name, screen) => {
      await fuzz(
        'cardSubmits',
        submitPlan,
        async (plan) => {
          const person = await atScreen(screen);
          const { status } = await person.submit(plan);
          expectAnswered(status, `a submit on "${screen.name}"`);
        },
        checks,
        {
          share: 1 / SCREENS.length,
          salt: screen.name,
          betweenRounds: () => {
            trim(bot.connector.received);
            trim(bot.connector.updates);
          },
        },
      );
    },
  );

  it('leaves everyone able to go on as anyone does: newcomers enroll from the start to Success, the enrolled change their default', async () => {
    clock.advance(25 * 60 * 60_000); // past any lockout window and into a new day of sends
    for (const person of people.newcomer) await enrollsNormally(person, clock, codeTextedTo);
    for (const person of [...people.finisher, ...people.enrolled]) {
      await person.say('cancel');
      await toOverview(person);
      if (!person.text().includes('Authenticator app') || !person.text().includes('Phone')) {
        throw new Error(`${person.user.id}'s security info lost a method:\n${person.text()}`);
      }
    }
    for (const person of people.enrolled) {
      await person.click('Change default');
      await proveIfAsked(person);
      const options = choiceInputs(person.card).find((c) => c.id === 'option')?.values ?? [];
      const saved = saidIn(await person.click('Confirm', { option: options.at(-1) })).join('\n');
      if (!saved.includes('default sign-in method is now')) throw new Error(`${person.user.id} could not change their default: ${saved}`);
    }
    rejections.check();
  });
});
