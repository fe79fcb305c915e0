import type { ExternalClock } from '../protocol/types';

/** Epoch used when the external clock has no `now()`. */
const DEFAULT_START = Date.UTC(2025, 0, 1);

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** Raised into a sleep that was aborted (e.g. its execution was stopped). */
export class SleepAborted extends Error {
  constructor() {
    super('sleep aborted');
    this.name = 'SleepAborted';
  }
}

/**
 * Simulated time as a small discrete-event scheduler.
 *
 * Nothing in the runner sleeps in wall time. Whoever waits (a Wait state, a provider's isComplete
 * interval, a WaitCondition timeout) registers a timer. Work in flight (Lambda invocations, HTTP
 * requests, running executions, the engine itself) is tracked as activities. While an operation
 * (deploy/destroy) runs and no activity is busy, the clock jumps to the earliest timer, advances the
 * external clock by the difference and fires the timer. Between operations time stands still.
 */
export class SimClock {
  private nowMs: number;
  private readonly startMs: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private busy = 0;
  private generation = 0;
  private operations = 0;
  private pumping = false;
  private wake: (() => void) | undefined;
  private readonly listeners = new Set<(nowMs: number, deltaMs: number) => void>();
  private readonly settlers: Array<() => void> = [];

  constructor(private readonly external: ExternalClock | undefined, private readonly idleGraceMs = 5) {
    this.startMs = external?.now?.() ?? DEFAULT_START;
    this.nowMs = this.startMs;
  }

  /** Simulated epoch milliseconds. */
  public now(): number {
    return this.nowMs;
  }

  /** Simulated milliseconds since the runner started. */
  public elapsedMs(): number {
    return this.nowMs - this.startMs;
  }

  public isoNow(): string {
    return new Date(this.nowMs).toISOString();
  }

  /** Called after every jump of simulated time; returns an unsubscribe function. */
  public onAdvance(listener: (nowMs: number, deltaMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts tracking a piece of work; simulated time cannot pass while it is busy. */
  public begin(): Activity {
    this.busy++;
    this.kick();
    return new Activity(this);
  }

  /** Runs `op` as work during which simulated time may pass. */
  public async operate<T>(op: (activity: Activity) => Promise<T>): Promise<T> {
    this.operations++;
    const activity = this.begin();
    try {
      return await op(activity);
    } finally {
      activity.end();
      this.operations--;
      this.kick();
    }
  }

  /**
   * Resolves once no activity is busy, without letting time pass (wait for it through
   * `activity.wait`). Used to let work in flight finish before an operation ends.
   */
  public settled(): Promise<void> {
    return new Promise(resolve => {
      this.settlers.push(resolve);
      this.kick();
    });
  }

  /** Fires `fire` after `ms` of simulated time. Returns a cancel function. */
  public schedule(ms: number, fire: () => void): () => void {
    const timer: Timer = { at: this.nowMs + Math.max(0, ms), seq: this.seq++, fire };
    const index = this.timers.findIndex(t => t.at > timer.at);
    this.timers.splice(index < 0 ? this.timers.length : index, 0, timer);
    this.kick();
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) {
        this.timers.splice(i, 1);
        this.kick();
      }
    };
  }

  /** @internal */
  public markBusy(delta: 1 | -1): void {
    this.busy += delta;
    this.kick();
  }

  private kick(): void {
    this.generation++;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    if (!this.pumping && this.operations > 0 && (this.timers.length > 0 || this.settlers.length > 0)) {
      void this.pump();
    }
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.operations > 0 && (this.timers.length > 0 || this.settlers.length > 0)) {
        if (this.busy > 0) {
          await new Promise<void>(resolve => { this.wake = resolve; });
          continue;
        }
        const generation = this.generation;
        // A short wall-clock quiet period lets pending I/O callbacks land before time jumps.
        await new Promise(resolve => setTimeout(resolve, this.idleGraceMs));
        if (this.busy > 0 || generation !== this.generation || this.operations === 0) continue;
        if (this.settlers.length > 0) {
          for (const settle of this.settlers.splice(0)) settle();
          continue;
        }
        const timer = this.timers.shift()!;
        const delta = timer.at - this.nowMs;
        if (delta > 0) {
          this.nowMs = timer.at;
          await this.external?.advance(delta);
          for (const listener of [...this.listeners]) listener(this.nowMs, delta);
        }
        timer.fire();
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** A tracked piece of work. It is busy from creation until `end()`, except while it waits. */
export class Activity {
  private ended = false;

  constructor(private readonly clock: SimClock) {}

  /** Waits `ms` of simulated time. Rejects with SleepAborted when `signal` aborts. */
  public sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.wait(new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new SleepAborted());
      const onAbort = () => {
        cancel();
        reject(new SleepAborted());
      };
      const cancel = this.clock.schedule(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    }));
  }

  /** Waits for something outside the runner's control (e.g. a signal) without blocking simulated time. */
  public async wait<T>(promise: Promise<T>): Promise<T> {
    this.clock.markBusy(-1);
    try {
      return await promise;
    } finally {
      this.clock.markBusy(1);
    }
  }

  public end(): void {
    if (this.ended) return;
    this.ended = true;
    this.clock.markBusy(-1);
  }
}

/** Formats simulated durations like `2h10m`, `45m`, `30s`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return s ? `${m}m${s}s` : `${m}m`;
  return `${s}s`;
}
