import type { RemovalPolicy } from 'aws-cdk-lib';
import type { IConstruct, IDependable } from 'constructs';
import type { TunedRangeSpec } from './contract';
import { metricKeysFor } from './metrics';
import type { SolutionSpec } from './solution-spec';

/**
 * What a version needs to know of a solution this app owns (an imported one has only its ARN and
 * recipe). `Solution` attaches it; `SolutionVersion` reads it, so neither module imports the other's
 * internals.
 */
export interface OwnedSolution {
  /** The CreateSolution members whose change replaces the solution: the training key's material. */
  readonly replacementSpec: () => Partial<SolutionSpec>;
  /** ARNs the solution and its versions may have, known at synth (for IAM). */
  readonly resourceArns: string[];
  /** The hyperparameters whose tuned values a version reports. */
  readonly tunedHyperParameterNames: string[];
  /** The hyperparameters of the HPO ranges: the values HPO is sure to have chosen. */
  readonly rangeNames: string[];
  /** The numeric ranges known at synth, to report where each tuned value landed. */
  readonly numericRanges: Record<string, TunedRangeSpec>;
  /** The longest value a tuned hyperparameter can have, as a string (for the result's data budget). */
  readonly tunedValueMaxLength: number;
  /** The offline metrics a version reports. */
  readonly metricKeys: string[];
  /** What training waits for: the data imports into the solution's dataset group. */
  readonly importDependables: () => IDependable[];
  /** The import job ARNs of the group's imports in this app (tokens), for versions that follow them. */
  readonly importJobArns: () => string[];
  /** The versions added so far. */
  readonly versions: Array<{ readonly trainingMode: string; readonly construct: IConstruct }>;
  /** The solution's removal policy, which its versions follow (a retained solution's training is never stopped). */
  readonly removalPolicy: () => RemovalPolicy;
}

// Symbol.for: two copies of the library in one app still recognise each other's solutions.
const OWNED = Symbol.for('cdk-personalize.OwnedSolution');

export function attachOwnedSolution(solution: IConstruct, owned: OwnedSolution): void {
  Object.defineProperty(solution, OWNED, { value: owned, enumerable: false });
}

/** The facts of a solution this app owns, or undefined for an imported one. */
export function ownedSolutionOf(solution: IConstruct): OwnedSolution | undefined {
  return (solution as unknown as Record<symbol, OwnedSolution | undefined>)[OWNED];
}

/** A solution as far as its reported metrics go (owned or imported). */
interface SolutionWithRecipe extends IConstruct {
  readonly recipe?: { readonly recipeType?: { readonly name: string } };
}

/** The offline metrics versions of `solution` report: an owned solution's own, else its recipe type's. */
export function reportedMetricKeys(solution: SolutionWithRecipe): string[] {
  return ownedSolutionOf(solution)?.metricKeys ?? metricKeysFor({ recipeType: solution.recipe?.recipeType?.name });
}
