/**
 * Handler-level retries for errors that outlast the SDK's own attempts, e.g. a solution that is
 * not ACTIVE yet or a quota of trainings in progress that frees up within minutes.
 */

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. @default 5000 */
  readonly initialDelayMs?: number;
  /** Longest delay between two attempts, before jitter. @default 60000 */
  readonly maxDelayMs?: number;
  /** No retry starts later than this after the first attempt began. @default 240000 */
  readonly totalBudgetMs?: number;
  /** Injectable so tests run instantly. */
  readonly sleep?: Sleep;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** In [0, 1): the jitter source. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF = {
  initialDelayMs: 5_000,
  maxDelayMs: 60_000,
  totalBudgetMs: 240_000,
} as const;

/** Why retrying stopped, handed to the caller to word the final error. */
export interface GiveUp {
  readonly error: unknown;
  readonly attempts: number;
  readonly elapsedMs: number;
}

/**
 * Delay before retry number `retry` (1-based): the initial delay doubled per retry, capped, with
 * "equal jitter" (between half and all of it) so that parallel deployments spread out.
 */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelayMs ?? DEFAULT_BACKOFF.initialDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * 2 ** (retry - 1));
  return Math.round(base * (0.5 + 0.5 * random()));
}

/**
 * Calls `call` until it succeeds, fails with an error `retryable` rejects, or the next retry would
 * start after the budget; then throws what `giveUp` makes of the last error.
 */
export async function retryWithBackoff<T>(
  call: () => Promise<T>,
  retryable: (err: unknown) => boolean,
  giveUp: (why: GiveUp) => Error,
  options: BackoffOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const budget = options.totalBudgetMs ?? DEFAULT_BACKOFF.totalBudgetMs;
  const start = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!retryable(err)) {
        throw err;
      }
      const delay = backoffDelay(attempt, options);
      const elapsed = now() - start;
      if (elapsed + delay > budget) {
        throw giveUp({ error: err, attempts: attempt, elapsedMs: elapsed });
      }
      console.log(`Attempt ${attempt} failed (${err instanceof Error ? err.message : String(err)}); retrying in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay);
    }
  }
}
