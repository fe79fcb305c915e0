import { Aspects, CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeValue } from './untyped';

/**
 * The default of what holds data or trained models (dataset groups, datasets, solutions): kept
 * when the stack is deleted or a change replaces it, deleted only when the create that made it
 * rolls back (so a failed first deploy leaves nothing behind to collide with the next one).
 */
export const STATEFUL_DEFAULT = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

/** The policies Personalize resources take: they have no snapshots. */
const ALLOWED = [RemovalPolicy.DESTROY, RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** Whether a resource under `policy` outlives the stack's delete. */
export function retains(policy: RemovalPolicy): boolean {
  return policy !== RemovalPolicy.DESTROY;
}

/** Throws unless `policy` is one a Personalize resource takes (also for callers without a type checker). */
export function checkRemovalPolicy(where: string, policy: unknown): RemovalPolicy | undefined {
  if (policy === undefined) {
    return undefined;
  }
  if (!ALLOWED.includes(policy as RemovalPolicy)) {
    throw new Error(`${where} removalPolicy is ${describeValue(policy)}: must be RemovalPolicy.DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE ` +
      '(Personalize resources have no snapshots)');
  }
  return policy as RemovalPolicy;
}

/** Anything that takes a removal policy: a CfnResource, a CustomResource, an L2. */
export interface Removable {
  applyRemovalPolicy(policy: RemovalPolicy): void;
}

/**
 * Applies `policy()` to `resources()` once the app is complete, so that a later
 * `applyRemovalPolicy`, or one on the parent whose policy this one follows, still counts.
 */
export function applyRemovalPolicyAtSynth(owner: IConstruct, policy: () => RemovalPolicy, resources: () => Removable[]): void {
  Aspects.of(owner).add({
    visit: (node) => {
      if (node === owner) {
        const chosen = policy();
        resources().forEach((resource) => resource.applyRemovalPolicy(chosen));
      }
    },
  });
}

/** Every CloudFormation resource under `scope` (e.g. a role and its policies). */
export function cfnResourcesOf(scope: IConstruct): Removable[] {
  return scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
}

/** The parent a retained child needs retained, and why (Personalize's order of deletion). */
export interface RetainingParent {
  readonly what: string;
  readonly path: string;
  readonly policy: RemovalPolicy;
  readonly why: string;
}

/** A node validation: a retained child under a parent whose delete would then fail. */
export function requireRetainedParent(child: IConstruct, what: string, policy: () => RemovalPolicy, parent: () => RetainingParent | undefined): void {
  child.node.addValidation({
    validate: () => {
      const p = parent();
      if (!retains(policy()) || p === undefined || retains(p.policy)) {
        return [];
      }
      return [`${what} at '${child.node.path}' is retained (removalPolicy ${policy()}) but its ${p.what} at '${p.path}' is destroyed ` +
        `(removalPolicy ${p.policy}): ${p.why}, so the stack's delete would fail. Retain the ${p.what} too, or destroy the ${what}.`];
    },
  });
}
