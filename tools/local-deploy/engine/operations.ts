/**
 * One stack operation (create, update or delete) with CloudFormation's ordering, events, cleanup and rollback.
 * Creates and updates run in parallel as far as dependencies allow: a resource starts once everything it depends
 * on is done, ties in template order. After a failure nothing new starts, and resources still waiting for signals
 * are cancelled ("Resource creation cancelled"). Deletes run one at a time in reverse order.
 */
import {
  attempt, attemptAsync, deletionOrder, REPLACEMENT_REASON, resourceContext, sameJson, STACK_TYPE, trackLive, type DeployedResource,
  type JournalEntry, type OperationEnv, type StackRecord,
} from './operation-support';
import { StackView } from './stack-view';
import { ResourceFailure, type ResourceContext, type ResourceInstance, type ResourceResult } from '../protocol/resources';
import type { ResourceStatus, StackEvent, StackStatus } from '../protocol/types';
import { handlerFor } from '../resources';
import type { StackArtifact } from '../services/assembly';
import type { Activity } from '../services/clock';
import { dependenciesOf, type TemplateResource } from '../services/template';

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
    const outputs = attempt(() => view.outputs());
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
      const resolved = attempt(() => view.outputs());
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
    const props = attempt(() => view.resolve(definition.Properties ?? {}, id) as Record<string, unknown>);
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
      const updated = await attemptAsync(() => handler.update!(this.ctx(id, definition.Type, activity), previous, props.value));
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
    const result = await attemptAsync(async () => {
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
    const result = await attemptAsync(async () => {
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
    const result = await attemptAsync(async () => {
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
    return resourceContext(this.stack, this.env, logicalId, type, activity, this.cancel.signal);
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
    if (type !== STACK_TYPE) trackLive(this.stack.live, event);
    this.env.printer.event(event);
  }

}
