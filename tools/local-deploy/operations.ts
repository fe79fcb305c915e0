/**
 * One stack operation (create, update or delete) with CloudFormation's ordering, events, cleanup
 * and rollback semantics. Creates and updates run in parallel as far as dependencies allow (as
 * CloudFormation does): a resource starts once everything it depends on is done, ties in template
 * order. After a failure nothing new starts, and resources still waiting for signals are
 * cancelled ("Resource creation cancelled"). Deletes run one at a time in reverse order.
 */
import { createHash } from 'crypto';
import type { StackArtifact } from './assembly';
import type { Activity } from './clock';
import { PROGRESS_INTERVAL_MS, type Printer } from './printer';
import type { LiveResource } from './resource-signals';
import { handlerFor } from './resources';
import { ResourceFailure, type ResourceContext, type ResourceProvisioner, type ResourceInstance, type ResourceResult, type RunnerServices } from './resources/types';
import { StackView, type StackIdentity } from './stack-view';
import { dependenciesOf, topologicalOrder, type TemplateResource } from './template';
import type { ResourceStatus, StackEvent, StackStatus } from './types';

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

export interface OperationEnv {
  readonly services: RunnerServices;
  readonly handlers: Record<string, ResourceProvisioner>;
  readonly printer: Printer;
  readonly progress: boolean;
  /** Tells the engine which operation events of this stack belong to. */
  readonly onEvent?: (event: StackEvent) => void;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string; physicalId?: string };

type JournalEntry =
  | { kind: 'created'; id: string; instance: DeployedResource }
  | { kind: 'failedCreate'; id: string; instance?: DeployedResource }
  | { kind: 'updated'; id: string; previous: DeployedResource; instance: DeployedResource }
  | { kind: 'failedUpdate'; id: string; previous: DeployedResource; attempted: Record<string, unknown> }
  | { kind: 'replaced'; id: string; previous: DeployedResource; instance: DeployedResource };

const REPLACEMENT_REASON = 'Requested update requires the creation of a new physical resource; hence creating one.';
const STACK_TYPE = 'AWS::CloudFormation::Stack';

export class StackOperation {
  public readonly events: StackEvent[] = [];
  public failureReason: string | undefined;

  /** Aborted on the first failure: resources waiting for signals give up. */
  private readonly cancel = new AbortController();

  constructor(private readonly env: OperationEnv, private readonly stack: StackRecord, private readonly activity: Activity) {}

  /**
   * Runs `step` for every id once its dependencies have completed, in parallel, each with its own
   * activity. Stops starting new steps after the first one returns false. Returns the failed id.
   */
  private async inDependencyOrder(
    order: string[], definitions: Record<string, TemplateResource>, step: (id: string, activity: Activity) => Promise<boolean>,
  ): Promise<string | undefined> {
    const known = new Set(order);
    const deps = new Map(order.map(id => [id, dependenciesOf(definitions[id], known)]));
    const done = new Set<string>();
    const running = new Map<string, Promise<void>>();
    let failed: string | undefined;
    const clock = this.env.services.clock;
    while (true) {
      if (failed === undefined) {
        for (const id of order) {
          if (done.has(id) || running.has(id) || !deps.get(id)!.every(d => done.has(d))) continue;
          const branch = clock.begin();
          running.set(id, step(id, branch).then(ok => {
            if (!ok && failed === undefined) {
              failed = id;
              this.cancel.abort();
            }
          }, () => {
            failed ??= id;
            this.cancel.abort();
          }).finally(() => {
            branch.end();
            running.delete(id);
            done.add(id);
          }));
        }
      }
      if (running.size === 0) return failed;
      await this.activity.wait(Promise.race(running.values()));
    }
  }

  // ---- create ---------------------------------------------------------------------------------

  public async create(artifact: StackArtifact, parameters: Record<string, unknown>): Promise<void> {
    const stack = this.stack;
    stack.artifact = artifact;
    stack.parameters = parameters;
    this.setStatus('CREATE_IN_PROGRESS', 'User Initiated');
    const view = this.view(artifact, parameters, stack.resources);
    const definitions = view.activeResources();
    const failedWithoutId: DeployedResource[] = [];
    const failedIds: string[] = [];
    await this.inDependencyOrder(view.creationOrder(), definitions, async (id, activity) => {
      const result = await this.createResource(view, id, definitions[id], 'CREATE', undefined, activity);
      if (result.ok) {
        stack.resources.set(id, result.value);
        return true;
      }
      this.fail(result.reason);
      failedIds.push(id);
      if (result.instance) stack.resources.set(id, result.instance);
      else failedWithoutId.push(this.placeholder(id, definitions[id]));
      return false;
    });
    if (failedIds.length > 0) {
      return this.rollbackCreate(`The following resource(s) failed to create: [${failedIds.join(', ')}]. Rollback requested by user.`, failedWithoutId);
    }
    const outputs = this.attempt(() => view.outputs());
    if (!outputs.ok) {
      this.fail(outputs.reason);
      return this.rollbackCreate(outputs.reason, []);
    }
    stack.outputs = outputs.value;
    await this.finish('CREATE_COMPLETE');
  }

  private async rollbackCreate(reason: string, failedWithoutId: DeployedResource[]): Promise<void> {
    const stack = this.stack;
    this.setStatus('ROLLBACK_IN_PROGRESS', reason);
    for (const placeholder of failedWithoutId) this.emit(placeholder.logicalId, placeholder.type, 'DELETE_COMPLETE');
    let ok = true;
    for (const id of deletionOrder(stack.resources)) {
      const instance = stack.resources.get(id)!;
      if (await this.deleteResource(instance, 'DeletionPolicy', true)) stack.resources.delete(id);
      else ok = false;
    }
    stack.outputs = {};
    await this.finish(ok ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED');
  }

  // ---- update ---------------------------------------------------------------------------------

  /** True when deploying `artifact` would change resources or outputs. */
  public hasChanges(artifact: StackArtifact, parameters: Record<string, unknown>): boolean {
    const view = this.view(artifact, parameters, this.stack.resources);
    try {
      const definitions = view.activeResources();
      const ids = Object.keys(definitions);
      if (ids.length !== this.stack.resources.size) return true;
      for (const id of ids) {
        const deployed = this.stack.resources.get(id);
        if (!deployed || deployed.type !== definitions[id].Type) return true;
        if (!sameJson(view.resolve(definitions[id].Properties ?? {}, id), deployed.properties)) return true;
      }
      return !sameJson(view.outputs(), this.stack.outputs);
    } catch {
      return true;
    }
  }

  public async update(artifact: StackArtifact, parameters: Record<string, unknown>): Promise<void> {
    const stack = this.stack;
    const old = { artifact: stack.artifact, parameters: stack.parameters, resources: stack.resources, outputs: stack.outputs };
    const working = new Map<string, DeployedResource>();
    const view = this.view(artifact, parameters, working);
    const definitions = view.activeResources();
    const journal: JournalEntry[] = [];
    this.setStatus('UPDATE_IN_PROGRESS', 'User Initiated');

    const failedId = await this.inDependencyOrder(view.creationOrder(), definitions,
      (id, activity) => this.updateOne(view, id, definitions[id], old.resources.get(id), working, journal, activity));
    let outputs: Record<string, string> = {};
    if (failedId === undefined) {
      const resolved = this.attempt(() => view.outputs());
      if (resolved.ok) outputs = resolved.value;
      else this.fail(resolved.reason);
    }
    if (this.failureReason !== undefined) {
      return this.rollbackUpdate(old, journal, failedId);
    }

    stack.artifact = artifact;
    stack.parameters = parameters;
    stack.resources = working;
    stack.outputs = outputs;
    this.setStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const replaced = new Map(journal.flatMap(e => e.kind === 'replaced' ? [[e.id, e.previous] as const] : []));
    for (const id of deletionOrder(old.resources)) {
      const previous = old.resources.get(id)!;
      if (replaced.has(id)) await this.deleteResource(replaced.get(id)!, 'UpdateReplacePolicy', false);
      else if (!working.has(id)) await this.deleteResource(previous, 'DeletionPolicy', false);
    }
    await this.finish('UPDATE_COMPLETE');
  }

  /** Brings one resource to its new definition; records what it did in the journal. */
  private async updateOne(
    view: StackView, id: string, definition: TemplateResource, previous: DeployedResource | undefined,
    working: Map<string, DeployedResource>, journal: JournalEntry[], activity: Activity = this.activity,
  ): Promise<boolean> {
    if (!previous) {
      const created = await this.createResource(view, id, definition, 'CREATE', undefined, activity);
      if (!created.ok) {
        this.fail(created.reason);
        journal.push({ kind: 'failedCreate', id, instance: created.instance });
        return false;
      }
      working.set(id, created.value);
      journal.push({ kind: 'created', id, instance: created.value });
      return true;
    }
    const props = this.attempt(() => view.resolve(definition.Properties ?? {}, id) as Record<string, unknown>);
    if (!props.ok) {
      this.emit(id, definition.Type, 'UPDATE_IN_PROGRESS');
      this.emit(id, definition.Type, 'UPDATE_FAILED', previous.physicalId, props.reason);
      this.fail(props.reason);
      return false;
    }
    if (previous.type === definition.Type && sameJson(props.value, previous.properties)) {
      working.set(id, { ...previous, definition });
      return true;
    }
    const handler = handlerFor(definition.Type, this.env.handlers);
    if (previous.type === definition.Type && handler?.update && !handler.replaces?.(previous.properties, props.value)) {
      this.emit(id, definition.Type, 'UPDATE_IN_PROGRESS', previous.physicalId);
      const updated = await this.attemptAsync(() => handler.update!(this.ctx(id, definition.Type, activity), previous, props.value));
      if (!updated.ok) {
        this.emit(id, definition.Type, 'UPDATE_FAILED', previous.physicalId, updated.reason);
        this.fail(updated.reason);
        journal.push({ kind: 'failedUpdate', id, previous, attempted: props.value });
        return false;
      }
      const instance = this.instance(id, definition, props.value, updated.value);
      working.set(id, instance);
      journal.push({ kind: instance.physicalId === previous.physicalId ? 'updated' : 'replaced', id, previous, instance });
      this.emit(id, definition.Type, 'UPDATE_COMPLETE', instance.physicalId);
      return true;
    }
    this.stack.generations.set(id, (this.stack.generations.get(id) ?? 0) + 1);
    const created = await this.createResource(view, id, definition, 'UPDATE', REPLACEMENT_REASON, activity);
    if (!created.ok) {
      this.fail(created.reason);
      journal.push({ kind: 'failedCreate', id, instance: created.instance });
      return false;
    }
    working.set(id, created.value);
    journal.push({ kind: 'replaced', id, previous, instance: created.value });
    return true;
  }

  /**
   * Undoes an update: in-place updates get an Update back to the old properties (newest first),
   * replaced resources point at their old physical resource again, and everything this update
   * created is deleted during the rollback cleanup.
   */
  private async rollbackUpdate(
    old: { artifact: StackArtifact; parameters: Record<string, unknown>; resources: Map<string, DeployedResource>; outputs: Record<string, string> },
    journal: JournalEntry[], failedId: string | undefined,
  ): Promise<void> {
    const stack = this.stack;
    this.setStatus('UPDATE_ROLLBACK_IN_PROGRESS', failedId ? `The following resource(s) failed to update: [${failedId}].` : this.failureReason);
    const restored = new Map(old.resources);
    const toDelete: DeployedResource[] = [];
    let ok = true;
    for (const entry of [...journal].reverse()) {
      if (entry.kind === 'created' || entry.kind === 'failedCreate') {
        if (entry.instance) toDelete.push(entry.instance);
      } else if (entry.kind === 'replaced') {
        this.emit(entry.id, entry.previous.type, 'UPDATE_IN_PROGRESS', entry.previous.physicalId);
        this.emit(entry.id, entry.previous.type, 'UPDATE_COMPLETE', entry.previous.physicalId);
        toDelete.push(entry.instance);
      } else {
        const current = entry.kind === 'updated' ? entry.instance : { ...entry.previous, properties: entry.attempted };
        const back = await this.revert(current, entry.previous);
        if (!back) {
          ok = false;
          break;
        }
        restored.set(entry.id, back);
        if (back.physicalId !== current.physicalId) toDelete.push(current);
      }
    }
    stack.artifact = old.artifact;
    stack.parameters = old.parameters;
    stack.resources = restored;
    stack.outputs = old.outputs;
    if (!ok) return this.finish('UPDATE_ROLLBACK_FAILED');
    this.setStatus('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    for (const instance of toDelete) await this.deleteResource(instance, 'DeletionPolicy', true);
    await this.finish('UPDATE_ROLLBACK_COMPLETE');
  }

  /** Rollback Update of one resource to its previous properties. */
  private async revert(current: DeployedResource, previous: DeployedResource): Promise<DeployedResource | undefined> {
    const handler = handlerFor(current.type, this.env.handlers);
    this.emit(current.logicalId, current.type, 'UPDATE_IN_PROGRESS', current.physicalId);
    const result = await this.attemptAsync(async () => {
      if (!handler?.update) throw new ResourceFailure(`Resource type ${current.type} cannot be rolled back in place`);
      return handler.update(this.ctx(current.logicalId, current.type), current, previous.properties);
    });
    if (!result.ok) {
      this.emit(current.logicalId, current.type, 'UPDATE_FAILED', current.physicalId, result.reason);
      return undefined;
    }
    const instance = this.instance(current.logicalId, previous.definition, previous.properties, result.value);
    this.emit(current.logicalId, current.type, 'UPDATE_COMPLETE', instance.physicalId);
    return instance;
  }

  // ---- delete ---------------------------------------------------------------------------------

  public async destroy(): Promise<void> {
    const stack = this.stack;
    this.setStatus('DELETE_IN_PROGRESS', 'User Initiated');
    let ok = true;
    for (const id of deletionOrder(stack.resources)) {
      if (await this.deleteResource(stack.resources.get(id)!, 'DeletionPolicy', false)) stack.resources.delete(id);
      else ok = false;
    }
    if (ok) stack.outputs = {};
    await this.finish(ok ? 'DELETE_COMPLETE' : 'DELETE_FAILED');
  }

  /** Deletes one physical resource unless its policy retains it. Returns false on failure. */
  private async deleteResource(instance: DeployedResource, policyKey: 'DeletionPolicy' | 'UpdateReplacePolicy', rollingBack: boolean): Promise<boolean> {
    const policy = instance.definition[policyKey];
    if (policy === 'Retain' || (policy === 'RetainExceptOnCreate' && !rollingBack) || policy === 'Snapshot') {
      this.emit(instance.logicalId, instance.type, 'DELETE_SKIPPED', instance.physicalId);
      return true;
    }
    this.emit(instance.logicalId, instance.type, 'DELETE_IN_PROGRESS', instance.physicalId);
    const result = await this.attemptAsync(async () => {
      const handler = handlerFor(instance.type, this.env.handlers);
      if (handler) await handler.delete(this.ctx(instance.logicalId, instance.type), instance);
    });
    if (!result.ok) {
      this.emit(instance.logicalId, instance.type, 'DELETE_FAILED', instance.physicalId, result.reason);
      return false;
    }
    this.emit(instance.logicalId, instance.type, 'DELETE_COMPLETE', instance.physicalId);
    return true;
  }

  // ---- shared ---------------------------------------------------------------------------------

  /** Creates one resource; on failure returns the physical id the handler reported, if any. */
  private async createResource(
    view: StackView, id: string, definition: TemplateResource, phase: 'CREATE' | 'UPDATE', reason?: string, activity: Activity = this.activity,
  ): Promise<{ ok: true; value: DeployedResource } | { ok: false; reason: string; instance?: DeployedResource }> {
    this.emit(id, definition.Type, `${phase}_IN_PROGRESS`, undefined, reason);
    let props: Record<string, unknown> = {};
    const result = await this.attemptAsync(async () => {
      const handler = handlerFor(definition.Type, this.env.handlers);
      if (!handler) throw new ResourceFailure(`Resource type ${definition.Type} is not supported by the local runner (${id})`);
      props = view.resolve(definition.Properties ?? {}, id) as Record<string, unknown>;
      return handler.create({ ...this.ctx(id, definition.Type, activity), creationPolicy: definition.CreationPolicy }, props);
    });
    if (!result.ok) {
      this.emit(id, definition.Type, `${phase}_FAILED`, result.physicalId, result.reason);
      const instance = result.physicalId ? this.instance(id, definition, props, { physicalId: result.physicalId }) : undefined;
      return { ok: false, reason: result.reason, instance };
    }
    const instance = this.instance(id, definition, props, result.value);
    this.emit(id, definition.Type, `${phase}_COMPLETE`, instance.physicalId);
    return { ok: true, value: instance };
  }

  private instance(id: string, definition: TemplateResource, properties: Record<string, unknown>, result: ResourceResult): DeployedResource {
    return {
      logicalId: id,
      type: definition.Type,
      physicalId: result.physicalId,
      properties,
      attributes: result.attributes ?? {},
      ref: result.ref,
      recorded: result.recorded,
      definition,
    };
  }

  private placeholder(id: string, definition: TemplateResource): DeployedResource {
    return this.instance(id, definition, {}, { physicalId: '' });
  }

  private view(artifact: StackArtifact, parameters: Record<string, unknown>, resources: Map<string, ResourceInstance>): StackView {
    return new StackView(this.stack.identity, artifact.template, parameters, resources, type => handlerFor(type, this.env.handlers));
  }

  private ctx(logicalId: string, type: string, activity: Activity = this.activity): ResourceContext {
    const { identity, artifact, generations } = this.stack;
    const { services, printer, progress } = this.env;
    return {
      ...identity,
      logicalId,
      type,
      assembly: artifact,
      services,
      activity,
      cancelled: this.cancel.signal,
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

  /** Lets work in flight (e.g. an execution ending after its signal) land before the final status. */
  private async finish(status: StackStatus): Promise<void> {
    await this.activity.wait(this.env.services.clock.settled());
    this.setStatus(status);
  }

  private fail(reason: string): void {
    this.failureReason ??= reason;
  }

  private setStatus(status: StackStatus, reason?: string): void {
    this.stack.status = status;
    this.emit(this.stack.identity.stackName, STACK_TYPE, status, this.stack.identity.stackId, reason);
  }

  private emit(logicalId: string, type: string, status: StackStatus | ResourceStatus, physicalId?: string, reason?: string): void {
    const { identity, artifact } = this.stack;
    const event: StackEvent = {
      stackName: identity.stackName,
      logicalResourceId: logicalId,
      resourceType: type,
      resourceStatus: status,
      timestamp: this.env.services.clock.isoNow(),
      ...(physicalId ? { physicalResourceId: physicalId } : {}),
      ...(reason ? { resourceStatusReason: reason } : {}),
      ...(type !== STACK_TYPE && artifact.constructPaths.has(logicalId) ? { constructPath: artifact.constructPaths.get(logicalId) } : {}),
    };
    this.events.push(event);
    this.stack.events.push(event);
    if (type !== STACK_TYPE) this.track(event);
    this.env.printer.event(event);
  }

  /** Keeps `live` as DescribeStackResource sees it: cleanup of an old physical resource does not change it. */
  private track(event: StackEvent): void {
    const live = this.stack.live;
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

  private attempt<T>(fn: () => T): Attempt<T> {
    try {
      return { ok: true, value: fn() };
    } catch (e) {
      return failure(e);
    }
  }

  private async attemptAsync<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      return failure(e);
    }
  }
}

function failure(e: unknown): { ok: false; reason: string; physicalId?: string } {
  const physicalId = e instanceof ResourceFailure ? e.physicalId : undefined;
  const message = e !== null && typeof e === 'object' && typeof (e as Error).message === 'string' ? (e as Error).message : String(e);
  return { ok: false, reason: message, physicalId };
}

/** Reverse dependency order of deployed resources (dependents first). */
function deletionOrder(resources: Map<string, DeployedResource>): string[] {
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

function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
    : v);
}
