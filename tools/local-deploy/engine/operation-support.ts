/** The pieces of a stack operation that need none of its state: the state it keeps, a resource's context, the live view, attempts. */
import { createHash } from 'crypto';
import { PROGRESS_INTERVAL_MS, type Printer } from './printer';
import {
  ResourceFailure, type ResourceContext, type ResourceInstance, type ResourceProvisioner, type RunnerServices, type StackIdentity,
} from '../protocol/resources';
import type { StackEvent, StackStatus } from '../protocol/types';
import type { StackArtifact } from '../services/assembly';
import type { Activity, SimClock } from '../services/clock';
import type { LiveResource } from '../services/resource-signals';
import { topologicalOrder, type TemplateResource } from '../services/template';

export interface DeployedResource extends ResourceInstance {
  readonly definition: TemplateResource;
}

/** The runner's state of one stack. */
export interface StackRecord {
  readonly identity: StackIdentity;
  status: StackStatus;
  artifact: StackArtifact;
  parameters: Record<string, unknown>;
  /** Deployed resources in creation order. */
  resources: Map<string, DeployedResource>;
  outputs: Record<string, string>;
  readonly events: StackEvent[];
  /** Replacement count per logical id, for fresh generated names. */
  readonly generations: Map<string, number>;
  /** What DescribeStackResource reports: each resource's current status and physical id. */
  readonly live: Map<string, LiveResource>;
}

/** The services as the engine holds them: the simulators see them as RunnerServices. */
export interface EngineServices extends RunnerServices {
  readonly clock: SimClock;
}

export interface OperationEnv {
  readonly services: EngineServices;
  readonly handlers: Record<string, ResourceProvisioner>;
  readonly printer: Printer;
  readonly progress: boolean;
  /** Tells the engine which operation events of this stack belong to. */
  readonly onEvent?: (event: StackEvent) => void;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string; physicalId?: string };


/** What an update did to each resource, for its rollback. */
export type JournalEntry =
  | { kind: 'created'; id: string; instance: DeployedResource }
  | { kind: 'failedCreate'; id: string; instance?: DeployedResource }
  | { kind: 'updated'; id: string; previous: DeployedResource; instance: DeployedResource }
  | { kind: 'failedUpdate'; id: string; previous: DeployedResource; attempted: Record<string, unknown> }
  | { kind: 'replaced'; id: string; previous: DeployedResource; instance: DeployedResource };

export const REPLACEMENT_REASON = 'Requested update requires the creation of a new physical resource; hence creating one.';
export const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** What a simulator is given for one resource of the operation. */
export function resourceContext(
  stack: StackRecord, env: OperationEnv, logicalId: string, type: string, activity: Activity, cancelled: AbortSignal,
): ResourceContext {
  const { identity, artifact, generations } = stack;
  const { services, printer, progress } = env;
  return {
    ...identity,
    logicalId,
    type,
    assembly: artifact,
    services,
    activity,
    cancelled,
    physicalName: ({ maxLength = 128, lowerCase = false } = {}) => {
      const seed = `${identity.stackId}/${logicalId}/${generations.get(logicalId) ?? 0}`;
      const suffix = createHash('sha256').update(seed).digest('hex').slice(0, 12).toUpperCase();
      const base = `${identity.stackName}-${logicalId}`.slice(0, Math.max(1, maxLength - suffix.length - 1));
      const name = `${base}-${suffix}`;
      return lowerCase ? name.toLowerCase() : name;
    },
    progress: label => {
      if (!progress) return () => {};
      const start = services.clock.now();
      let printed = 0;
      return services.clock.onAdvance(now => {
        const bucket = Math.floor((now - start) / PROGRESS_INTERVAL_MS);
        if (bucket > printed) {
          printed = bucket;
          printer.waiting(identity.stackName, label, now - start);
        }
      });
    },
  };
}

/** Keeps `live` as DescribeStackResource sees it: cleanup of an old physical resource does not change it. */
export function trackLive(live: Map<string, LiveResource>, event: StackEvent): void {
  const current = live.get(event.logicalResourceId);
  const status = event.resourceStatus;
  if (status.startsWith('DELETE_') && current?.physicalId !== undefined && event.physicalResourceId !== current.physicalId) return;
  if (status === 'DELETE_COMPLETE' || status === 'DELETE_SKIPPED') {
    live.delete(event.logicalResourceId);
    return;
  }
  live.set(event.logicalResourceId, {
    logicalId: event.logicalResourceId,
    type: event.resourceType,
    physicalId: event.physicalResourceId ?? current?.physicalId,
    status,
    timestamp: event.timestamp,
  });
}

export function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return failure(e);
  }
}

export async function attemptAsync<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return failure(e);
  }
}

function failure(e: unknown): { ok: false; reason: string; physicalId?: string } {
  const physicalId = e instanceof ResourceFailure ? e.physicalId : undefined;
  const message = e !== null && typeof e === 'object' && typeof (e as Error).message === 'string' ? (e as Error).message : String(e);
  return { ok: false, reason: message, physicalId };
}

/** Reverse dependency order of deployed resources (dependents first). */
export function deletionOrder(resources: Map<string, DeployedResource>): string[] {
  const definitions = Object.fromEntries([...resources].map(([id, r]) => {
    const dependsOn = ([] as string[]).concat(r.definition.DependsOn ?? []).filter(d => resources.has(d));
    return [id, { ...r.definition, DependsOn: dependsOn }];
  }));
  try {
    return topologicalOrder(definitions).reverse();
  } catch {
    return [...resources.keys()].reverse();
  }
}

export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
    : v);
}
