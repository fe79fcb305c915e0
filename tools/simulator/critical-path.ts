/**
 * Personalize's own work on a deploy's critical path: the longest chain of jobs that ran one after
 * another, found backwards from the job that ended last (each link the latest job that ended before
 * the next one started). What a deploy takes beyond that chain is waiting: the gaps between links.
 */

/** One job or resource lifecycle, from its creation to its end (ACTIVE or failed), in epoch ms. */
export interface JobInterval {
  /** e.g. `dataset import job`. */
  readonly kind: string;
  readonly arn: string;
  readonly start: number;
  readonly end: number;
}

export interface CriticalPath {
  /** The chain, first job first. */
  readonly chain: readonly JobInterval[];
  /** Milliseconds of Personalize work on the chain. */
  readonly workMs: number;
  /** The waits between links (and before the first): what the deploy adds. */
  readonly gaps: ReadonlyArray<{ readonly before: string; readonly ms: number }>;
}

export function criticalPath(intervals: readonly JobInterval[], deployStart: number, deployEnd: number): CriticalPath {
  const within = intervals.filter(i => i.start >= deployStart && i.end <= deployEnd && i.end >= i.start);
  const chain: JobInterval[] = [];
  let next = [...within].sort((a, b) => b.end - a.end || a.start - b.start)[0];
  while (next) {
    chain.unshift(next);
    const current: JobInterval = next;
    next = within.filter(i => i.end <= current.start).sort((a, b) => b.end - a.end || a.start - b.start)[0];
  }
  const gaps = chain.map((link, n) => ({ before: link.kind, ms: link.start - (n === 0 ? deployStart : chain[n - 1].end) }));
  return { chain, workMs: chain.reduce((sum, link) => sum + (link.end - link.start), 0), gaps };
}
