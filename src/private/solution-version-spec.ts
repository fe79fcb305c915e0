/**
 * Custom::PersonalizeSolutionVersion as one type: the construct renders its properties from it and
 * the handler parses them back into it. The member table says, for each member, which property
 * carries it and whether its change starts a new training; the compiler checks that the table
 * names every member.
 *
 * This module has no runtime dependency: the handlers bundle it.
 */
import type { TagSpec } from './solution-spec';

export type TrainingModeValue = 'FULL' | 'UPDATE';

export interface SolutionVersionSpec {
  readonly solutionArn: string;
  readonly trainingMode: TrainingModeValue;
  /** The user's name; absent when the handler derives one. */
  readonly name?: string;
  readonly tags?: TagSpec[];
  /** A string whose change starts a new training; '' when absent. */
  readonly retrainTrigger: string;
  /**
   * The import jobs of the dataset group the version follows (`retrainOnImport`): a new import job
   * starts a new training. Empty when it follows none.
   */
  readonly followedImports: string[];
  /**
   * Logical id of the training's WaitCondition (with a CreationPolicy), which the training poller
   * signals with SignalResource. It changes with every training.
   */
  readonly waitCondition: string;
  /** The per-stack training poller state machine. */
  readonly stateMachineArn: string;
  /** How long training may run before it is stopped and the stack fails. */
  readonly trainingTimeoutSeconds: number;
}

export interface VersionMemberFacts {
  /**
   * The custom resource property: CreateSolutionVersion members in the API's camelCase, control
   * keys in PascalCase (the handler does not send those to Personalize).
   */
  readonly property: string;
  /** Whether CreateSolutionVersion takes it. */
  readonly sent: boolean;
  /**
   * Whether a change starts a new training (and so a new physical id). A changed wait condition
   * alone does not: the construct names it after more than these (it cannot see deploy-time
   * values), and the poller then signals the new wait for the version the stack has.
   */
  readonly retrains: boolean;
}

export const SOLUTION_VERSION_MEMBERS: { readonly [K in keyof SolutionVersionSpec]-?: VersionMemberFacts } = {
  solutionArn: { property: 'solutionArn', sent: true, retrains: true },
  trainingMode: { property: 'trainingMode', sent: true, retrains: true },
  name: { property: 'name', sent: true, retrains: true },
  tags: { property: 'tags', sent: true, retrains: false },
  retrainTrigger: { property: 'RetrainTrigger', sent: false, retrains: true },
  followedImports: { property: 'FollowedImports', sent: false, retrains: true },
  waitCondition: { property: 'WaitCondition', sent: false, retrains: false },
  stateMachineArn: { property: 'StateMachineArn', sent: false, retrains: false },
  trainingTimeoutSeconds: { property: 'TrainingTimeoutSeconds', sent: false, retrains: false },
};

/** Members whose change starts a new training. */
export const RETRAIN_MEMBERS: ReadonlyArray<keyof SolutionVersionSpec> = (Object.keys(SOLUTION_VERSION_MEMBERS) as Array<keyof SolutionVersionSpec>)
  .filter(member => SOLUTION_VERSION_MEMBERS[member].retrains);

/** The custom resource properties of a spec (values may be tokens at synth). */
export function versionProperties(spec: { readonly [K in keyof SolutionVersionSpec]: unknown }): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [member, facts] of Object.entries(SOLUTION_VERSION_MEMBERS)) {
    properties[facts.property] = spec[member as keyof SolutionVersionSpec];
  }
  return properties;
}
