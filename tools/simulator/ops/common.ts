import { ServiceError } from '../errors';
import { Lifecycle, S, SimState } from '../state';
import { TIMING } from '../training';
import type { Operation, RequestOf, ResponseOf } from '../wire';

/** A handler receives the validated request and returns the response members. */
export type Handler<Op extends Operation> = (state: SimState, input: RequestOf<Op>) => ResponseOf<Op>;

/** Operation name to handler: adding an operation is one entry, typed by the SDK's own request and response. */
export type HandlerTable = { readonly [Op in Operation]?: Handler<Op> };

interface PageInput {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** Slices a list for List* operations; the token is an opaque offset. */
export function paginate<T>(items: readonly T[], input: PageInput): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (input.nextToken !== undefined) {
    const m = /^sim-(\d+)$/.exec(Buffer.from(input.nextToken, 'base64').toString('utf8'));
    offset = m ? Number(m[1]) : NaN;
    if (!(offset > 0 && offset <= items.length)) throw new ServiceError('InvalidNextTokenException', 'The nextToken is not valid');
  }
  const size = input.maxResults ?? 100;
  const page = items.slice(offset, offset + size);
  const end = offset + page.length;
  return { page, nextToken: end < items.length ? Buffer.from(`sim-${end}`).toString('base64') : undefined };
}

/** Newest first, as the service lists. */
export const newestFirst = <T extends { readonly created: number }>(items: Iterable<T>): T[] =>
  [...items].reverse().sort((a, b) => b.created - a.created);

/** Drops undefined members so outputs stay minimal. */
export function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** Moves a resource to DELETE PENDING, then DELETE IN_PROGRESS, then runs `gone`. */
export function deleteLater(state: SimState, rec: Lifecycle, gone: () => void): void {
  state.setStatus(rec, S.DELETE_PENDING);
  state.advanceThrough(rec, [[S.DELETE_IN_PROGRESS, TIMING.stepMs]], () => state.schedule(TIMING.stepMs, gone));
}
