/**
 * At most `limit` turns at once on this instance; the rest wait in line, in
 * the order they came, for at most `maxWaitMs`. A store that is asked for
 * more than it can answer answers everyone late — every turn then misses its
 * deadline and nobody gets anywhere (docs/performance.md, "Overload"). With a
 * line, the turns let in finish in time and the ones that waited too long
 * are told to try again, which costs nothing in the store.
 */
export class TurnGate {
  private running = 0;
  private readonly line: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
  ) {
    if (!(limit >= 1)) throw new Error('TurnGate needs a limit of at least 1');
  }

  /** How many turns wait in line now (for the log). */
  get waiting(): number {
    return this.line.length;
  }

  /**
   * Runs `turn` once a place is free; `undefined` (and `turn` never called)
   * when no place freed up within `maxWaitMs`.
   */
  async run<T>(turn: () => Promise<T>): Promise<{ readonly value: T } | undefined> {
    if (this.running < this.limit) this.running += 1;
    else if (!(await this.place())) return undefined;
    try {
      return { value: await turn() };
    } finally {
      // The place goes straight to the first in line, so no newcomer can take it in between.
      const next = this.line.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Waits for a place handed over by a turn that ended; false when the wait ran out first. */
  private place(): Promise<boolean> {
    return new Promise((resolve) => {
      const admit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.line.splice(this.line.indexOf(admit), 1);
        resolve(false);
      }, this.maxWaitMs);
      this.line.push(admit);
    });
  }
}
