import type { Clock } from '../../src/verification/ports';

/** A clock that moves only when a test moves it. */
export class FrozenClock implements Clock {
  constructor(private ms: number = Date.UTC(2026, 10, 28, 9, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  advanceMinutes(minutes: number): void {
    this.ms += minutes * 60_000;
  }
}
