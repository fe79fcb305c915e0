/** 2026-01-01T00:00:00Z: every simulator starts here, so runs are reproducible. */
export const DEFAULT_START_MS = Date.UTC(2026, 0, 1);

/**
 * Simulated time. Nothing in the simulator reads the wall clock for lifecycles: resources
 * move on only when a test calls `advance`, so hours of training take microseconds.
 */
export class ServiceClock {
  private nowMs: number;
  private readonly listeners: Array<(nowMs: number) => void> = [];

  constructor(startMs: number = DEFAULT_START_MS) {
    this.nowMs = startMs;
  }

  /** Current simulated time in epoch milliseconds. */
  now(): number {
    return this.nowMs;
  }

  /** Moves simulated time forward and lets due lifecycle events fire. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new Error(`clock.advance needs a finite, non-negative number of ms, got ${ms}`);
    }
    this.nowMs += ms;
    for (const listener of this.listeners) listener(this.nowMs);
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }

  /** @internal Called on every advance (the state uses it to run due events). */
  onAdvance(listener: (nowMs: number) => void): void {
    this.listeners.push(listener);
  }
}
