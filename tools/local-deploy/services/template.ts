/**
 * Template shapes and dependency ordering.
 */
import { collectReferences, TemplateError } from './intrinsics';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly CreationPolicy?: Record<string, any>;
  readonly Metadata?: Record<string, unknown>;
}

export interface TemplateParameter {
  readonly Type: string;
  readonly Default?: unknown;
}

export interface TemplateOutput {
  readonly Value: unknown;
  readonly Condition?: string;
  readonly Description?: string;
  readonly Export?: unknown;
}

export interface Template {
  readonly Parameters?: Record<string, TemplateParameter>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, TemplateOutput>;
  readonly Rules?: Record<string, unknown>;
}

/** Resource types the runner never deploys. */
export const SKIPPED_TYPES = new Set(['AWS::CDK::Metadata']);

/** Logical ids `resource` depends on, restricted to `known` (explicit DependsOn plus references). */
export function dependenciesOf(resource: TemplateResource, known: Set<string>): string[] {
  const refs = collectReferences(resource.Properties ?? {});
  const explicit = resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn);
  for (const id of explicit) refs.add(id);
  return [...refs].filter(id => known.has(id));
}

/**
 * Orders resources so that every resource comes after its dependencies. Ties keep template order,
 * so the result is deterministic.
 */
export function topologicalOrder(resources: Record<string, TemplateResource>): string[] {
  const ids = Object.keys(resources);
  const known = new Set(ids);
  const deps = new Map(ids.map(id => [id, dependenciesOf(resources[id], known)]));
  for (const [id, list] of deps) {
    const missing = ([] as string[]).concat(resources[id].DependsOn ?? []).filter(d => !known.has(d));
    if (missing.length) throw new TemplateError(`Template format error: Unresolved resource dependencies [${missing.join(', ')}] in the Resources block of the template (DependsOn of ${id})`);
    if (list.includes(id)) throw new TemplateError(`Circular dependency between resources: [${id}]`);
  }
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < ids.length) {
    const next = ids.find(id => !done.has(id) && deps.get(id)!.every(d => done.has(d)));
    if (!next) {
      const cycle = ids.filter(id => !done.has(id));
      throw new TemplateError(`Circular dependency between resources: [${cycle.join(', ')}]`);
    }
    done.add(next);
    order.push(next);
  }
  return order;
}
