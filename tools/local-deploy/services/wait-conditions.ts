/**
 * WaitConditionHandle URLs and the signals PUT to them.
 *
 * CloudFormation warns that a reused handle "might evaluate old signals from a previous create or
 * update". The runner models the least forgiving reading: a handle's URL depends only on the stack
 * and the handle's logical id, and signals stay after the handle is deleted, so a handle created
 * again with the same logical id sees every signal ever sent to it.
 */
import type { Activity, SimClock } from './clock';
import { WAIT_PREFIX } from './local-endpoint';
import { WaitConditionFailed } from '../protocol/resources';

export interface WaitSignal {
  readonly status: 'SUCCESS' | 'FAILURE';
  readonly reason: string;
  readonly uniqueId: string;
  readonly data: string;
}

/** A WaitCondition ended without enough SUCCESS signals; the message is CloudFormation's reason. */

export class WaitConditionService {
  /** Handle path → signals by UniqueId (a repeated UniqueId replaces the earlier signal). */
  private readonly handles = new Map<string, Map<string, WaitSignal>>();
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(private readonly clock: SimClock) {}

  /** Creates a handle and returns its URL (the handle's Ref). */
  public createHandle(baseUrl: string, stackId: string, logicalId: string): string {
    const pathname = `${WAIT_PREFIX}${encodeURIComponent(stackId)}/${encodeURIComponent(logicalId)}`;
    if (!this.handles.has(pathname)) this.handles.set(pathname, new Map());
    return `${baseUrl}${pathname}?X-Amz-Signature=local`;
  }

  /** Deleting a handle keeps its signals: a handle of the same logical id created later sees them. */
  public deleteHandle(_url: string): void {}

  /** Signals received so far for a handle. */
  public signals(url: string): WaitSignal[] {
    return [...(this.handles.get(pathOf(url))?.values() ?? [])];
  }

  /** Records a signal PUT to a handle URL. */
  public signal(pathname: string, body: string): void {
    const signals = this.handles.get(pathname);
    if (!signals) throw new Error(`No WaitConditionHandle at ${pathname}`);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const status = parsed.Status;
    if (status !== 'SUCCESS' && status !== 'FAILURE') throw new Error(`Invalid signal Status ${JSON.stringify(status)}`);
    const uniqueId = String(parsed.UniqueId ?? '');
    signals.set(uniqueId, { status, uniqueId, reason: String(parsed.Reason ?? ''), data: String(parsed.Data ?? '') });
    for (const listener of [...(this.listeners.get(pathname) ?? [])]) listener();
  }

  /**
   * Waits until `count` SUCCESS signals arrived on the handle. Fails on a FAILURE signal or after
   * `timeoutSeconds` of simulated time. Resolves with UniqueId → Data.
   */
  public async waitFor(
    handleUrl: string, count: number, timeoutSeconds: number, activity: Activity, cancelled?: AbortSignal,
  ): Promise<Record<string, string>> {
    const pathname = pathOf(handleUrl);
    if (!this.handles.has(pathname)) throw new WaitConditionFailed(`Handle ${handleUrl} is not a WaitConditionHandle of this stack`);
    let cancelTimer = () => {};
    let listener = () => {};
    const done = new Promise<Record<string, string>>((resolve, reject) => {
      listener = () => {
        const signals = [...(this.handles.get(pathname)?.values() ?? [])];
        const failed = signals.find(s => s.status === 'FAILURE');
        if (failed) return reject(new WaitConditionFailed(`WaitCondition received failed message: '${failed.reason}' for uniqueId: ${failed.uniqueId}`));
        const successes = signals.filter(s => s.status === 'SUCCESS');
        if (successes.length >= count) resolve(Object.fromEntries(successes.map(s => [s.uniqueId, s.data])));
      };
      cancelTimer = this.clock.schedule(timeoutSeconds * 1000, () => {
        const received = this.signals(handleUrl).filter(s => s.status === 'SUCCESS').length;
        reject(new WaitConditionFailed(`WaitCondition timed out. Received ${received} conditions when expecting ${count}`));
      });
      onCancel(cancelled, () => reject(new WaitConditionFailed('Resource creation cancelled')));
      listener();
    });
    const set = this.listeners.get(pathname) ?? new Set();
    set.add(listener);
    this.listeners.set(pathname, set);
    try {
      return await activity.wait(done);
    } finally {
      cancelTimer();
      set.delete(listener);
    }
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** Calls `run` when `signal` aborts (at once if it already has). */
export function onCancel(signal: AbortSignal | undefined, run: () => void): void {
  if (!signal) return;
  if (signal.aborted) run();
  else signal.addEventListener('abort', run, { once: true });
}
