import { TurnGate } from '../../src/bot/turnGate';

/** A turn that ends when the test says so. */
function heldTurn() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { turn: () => done.then(() => 'ran'), finish };
}

describe('TurnGate: a bounded number of turns at once, the rest in line for a bounded time', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs up to its limit at once; the next waits and runs when a place frees, in the order they came', async () => {
    const gate = new TurnGate(2, 10_000);
    const started: string[] = [];
    const turns = ['a', 'b', 'c', 'd'].map((name) => {
      const held = heldTurn();
      const result = gate.run(async () => {
        started.push(name);
        return held.turn();
      });
      return { ...held, result };
    });
    await Promise.resolve();
    expect(started).toEqual(['a', 'b']);
    expect(gate.waiting).toBe(2);

    turns[1]!.finish();
    await expect(turns[1]!.result).resolves.toEqual({ value: 'ran' });
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a', 'b', 'c']);

    turns[0]!.finish();
    await expect(turns[0]!.result).resolves.toEqual({ value: 'ran' });
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    turns[2]!.finish();
    turns[3]!.finish();
    await expect(Promise.all([turns[2]!.result, turns[3]!.result])).resolves.toEqual([{ value: 'ran' }, { value: 'ran' }]);
  });

  it('never runs more than its limit at once, whoever arrives while places change hands', async () => {
    const gate = new TurnGate(1, 10_000);
    let running = 0;
    let most = 0;
    const counted = (held: ReturnType<typeof heldTurn>) => async () => {
      running += 1;
      most = Math.max(most, running);
      await held.turn();
      running -= 1;
    };
    const first = heldTurn();
    const second = heldTurn();
    const newcomer = heldTurn();
    const one = gate.run(counted(first));
    const two = gate.run(counted(second));
    first.finish();
    const three = gate.run(counted(newcomer));
    second.finish();
    newcomer.finish();
    await Promise.all([one, two, three]);
    expect(most).toBe(1);
  });

  it('a turn that waited past its time is never run, and says so; the line moves on without it', async () => {
    const gate = new TurnGate(1, 10_000);
    const first = heldTurn();
    const late = jest.fn(async () => 'late');
    const running = gate.run(first.turn);
    const waiting = gate.run(late);

    await jest.advanceTimersByTimeAsync(10_000);
    await expect(waiting).resolves.toBeUndefined();
    expect(late).not.toHaveBeenCalled();
    expect(gate.waiting).toBe(0);

    first.finish();
    await running;
    // The place is free again: the next turn runs at once.
    await expect(gate.run(async () => 'next')).resolves.toEqual({ value: 'next' });
  });

  it('a turn that throws gives its place back', async () => {
    const gate = new TurnGate(1, 10_000);
    await expect(gate.run(async () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    await expect(gate.run(async () => 'after')).resolves.toEqual({ value: 'after' });
  });
});
