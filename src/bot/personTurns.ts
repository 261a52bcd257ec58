/**
 * One turn at a time per person, on this instance: the next waits for the
 * one before it to be saved (a double click, a call webhook during a turn),
 * so it starts from what the first one did. Across instances the store's
 * conditional save does the same job, at the cost of running a turn again.
 */
export class PersonTurns {
  private readonly last = new Map<string, Promise<unknown>>();

  async run<T>(personId: string, turn: () => Promise<T>): Promise<T> {
    const before = this.last.get(personId) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(turn);
    this.last.set(personId, mine);
    try {
      return await mine;
    } finally {
      // The last in line clears the way (a map entry per person only while they have turns).
      if (this.last.get(personId) === mine) this.last.delete(personId);
    }
  }
}

/** The last `size` keys seen, oldest forgotten first. */
export class RecentKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly size: number) {}

  add(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.size) this.keys.delete(this.keys.values().next().value!);
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }
}
