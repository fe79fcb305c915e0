/** What the Personalize simulators share: the client, waiting for a status, recorded fallbacks. */
import {
  PersonalizeClient, Tag,
} from '@aws-sdk/client-personalize';
import { recordedHandler } from './recorded';
import type { ResourceContext } from '../protocol/resources';
import { ResourceFailure } from '../protocol/resources';

export const POLL_MS = 10_000;
export const MAX_WAIT_MS = 60 * 60_000;
/** What the API calls a resource whose creation failed. */
export const CREATE_FAILED = 'CREATE FAILED';

export function client(ctx: ResourceContext, endpoint: string): PersonalizeClient {
  return new PersonalizeClient({
    region: ctx.region,
    endpoint,
    credentials: { accessKeyId: 'LOCALDEPLOYACCESSKEY', secretAccessKey: 'local-deploy-secret' },
  });
}

/** The client for the configured endpoint; undefined when there is none (the type is then recorded). */
export function personalizeOf(ctx: ResourceContext): PersonalizeClient | undefined {
  const endpoint = ctx.services.personalizeEndpoint;
  return endpoint ? client(ctx, endpoint) : undefined;
}

/** A recorded Personalize resource: Ref is its ARN, as for the real types. */
export const recordedPersonalize = (
  resource: string, attribute: string, extra: (ctx: ResourceContext) => Record<string, unknown> = () => ({}),
) => recordedHandler({
  service: 'Personalize',
  nameProperty: 'Name',
  maxLength: 63,
  arn: ({ name, ctx }) => `arn:${ctx.partition}:personalize:${ctx.region}:${ctx.accountId}:${resource}/${name}`,
  ref: ({ arn }) => arn,
  attributes: ({ arn, ctx }) => ({ [attribute]: arn, ...extra(ctx) }),
});

export const isNotFound = (e: unknown) => (e as Error).name === 'ResourceNotFoundException';
export const isInUse = (e: unknown) => (e as Error).name === 'ResourceInUseException';

/** Polls `check` every POLL_MS of simulated time until it returns true. */
export async function waitUntil(
  ctx: ResourceContext, what: string, check: () => Promise<boolean>, physicalId?: string, detail?: () => string, maxWaitMs = MAX_WAIT_MS,
): Promise<void> {
  const stopProgress = ctx.progress(what);
  try {
    for (let waited = 0; ; waited += POLL_MS) {
      if (await check()) return;
      if (waited >= maxWaitMs) throw new ResourceFailure(`Timed out waiting for ${what}${detail?.() ?? ''}`, physicalId);
      await ctx.activity.sleep(POLL_MS);
    }
  } finally {
    stopProgress();
  }
}

/**
 * Runs what follows a create; any error fails the resource with `physicalId`, so that the rollback
 * deletes what was created (a ResourceFailure without one would leave it behind).
 */
export async function created<T>(physicalId: string, then: () => Promise<T>): Promise<T> {
  try {
    return await then();
  } catch (e) {
    if (e instanceof ResourceFailure && e.physicalId !== undefined) throw e;
    throw new ResourceFailure((e as Error).message, physicalId);
  }
}

/**
 * Waits until `describe` reports ACTIVE; CREATE FAILED fails the resource with Personalize's reason,
 * keeping `physicalId` so that the rollback deletes what was created.
 */
export async function waitForActive(
  ctx: ResourceContext, what: string, physicalId: string,
  describe: () => Promise<{ status?: string; failureReason?: string } | undefined>, maxWaitMs = MAX_WAIT_MS,
): Promise<void> {
  await waitUntil(ctx, what, async () => {
    const current = await describe();
    if (current?.status === CREATE_FAILED) {
      throw new ResourceFailure(`${what} failed: ${current.failureReason ?? CREATE_FAILED}`, physicalId);
    }
    return current?.status === 'ACTIVE';
  }, physicalId, undefined, maxWaitMs);
}

/**
 * Deletes and waits until Describe answers ResourceNotFoundException. A resource that is already
 * gone counts as deleted. A delete refused with ResourceInUseException fails the delete with
 * Personalize's message, as nothing documents that CloudFormation retries it; only with
 * `retryInUse` (the dataset, open fact 33) is it sent again on every poll until MAX_WAIT_MS.
 */
export async function deleteAndWait(
  ctx: ResourceContext, what: string, del: () => Promise<unknown>, describe: () => Promise<unknown>, retryInUse = false,
): Promise<void> {
  let sent = false;
  let refusal: string | undefined;
  await waitUntil(ctx, `deletion of ${what}`, async () => {
    if (!sent) {
      try {
        await del();
      } catch (e) {
        if (isNotFound(e)) return true;
        if (retryInUse && isInUse(e)) {
          refusal = (e as Error).message;
          return false;
        }
        throw e;
      }
      sent = true;
    }
    try {
      await describe();
      return false;
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
  }, undefined, () => (refusal && !sent ? ` (${refusal})` : ''));
}

/** CloudFormation's `Tags` ([{Key, Value}]) as the API's tags. */
export function tagsOf(props: Record<string, unknown>): Tag[] | undefined {
  return (props.Tags as Array<{ Key: string; Value: string }> | undefined)?.map(t => ({ tagKey: t.Key, tagValue: t.Value }));
}

export const nameOf = (ctx: ResourceContext, props: Record<string, unknown>) =>
  typeof props.Name === 'string' ? props.Name : ctx.physicalName({ maxLength: 63 });

export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const iso = (date: Date | undefined) => date?.toISOString();

/** Templates may carry numbers and booleans as strings (e.g. from parameters). */
export const num = (value: unknown) => (value === undefined ? undefined : Number(value));
export const bool = (value: unknown) => (value === undefined ? undefined : value === true || value === 'true');
