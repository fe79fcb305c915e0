import type { Solution } from '@aws-sdk/client-personalize';
import { parseSolutionSpec } from './solution-props';
import { IN_PLACE_PATHS, type SolutionSpec } from '../../private/solution-spec';
import { DELETING_STATES } from '../aws/status';
import { createdWithin } from '../framework/adopt';
import { changedMembers } from '../framework/diff';
import type { OnEventRequest } from '../framework/types';

/** What an Update of a solution has to do, from its old and new properties. */
export interface SolutionUpdatePlan {
  readonly before: SolutionSpec;
  readonly after: SolutionSpec;
  /** Every changed member path. */
  readonly changed: string[];
  /** Changed members that force a new solution. */
  readonly replacing: string[];
  /** Whether members UpdateSolution changes differ (what to do when nothing is replaced). */
  readonly updateSolution: boolean;
  /** Whether tags differ (TagResource/UntagResource, when nothing is replaced). */
  readonly updateTags: boolean;
}

export function planSolutionUpdate(event: OnEventRequest): SolutionUpdatePlan {
  const before = parseSolutionSpec(event.OldResourceProperties ?? {});
  const after = parseSolutionSpec(event.ResourceProperties);
  const changed = changedMembers(before, after, ['solutionConfig']);
  const replacing = changed.filter((path) => !IN_PLACE_PATHS.has(path));
  const inPlace = changed.filter((path) => IN_PLACE_PATHS.has(path));
  return {
    before,
    after,
    changed,
    replacing,
    updateSolution: inPlace.some((path) => path !== 'tags'),
    updateTags: inPlace.includes('tags'),
  };
}

/**
 * Why an existing solution of the requested name was not created by this request (undefined: it
 * was, and is taken over). Personalize reports no creator, so "this request" means: the same dataset
 * group and recipe (or AutoML), created within the adopt window, and not being deleted.
 */
export function whyNotAdoptable(solution: Solution, request: SolutionSpec, now: number): string | undefined {
  if (solution.status !== undefined && DELETING_STATES.has(solution.status)) {
    return `it is being deleted (${solution.status}); deploy again once the deletion has finished`;
  }
  if (solution.datasetGroupArn !== request.datasetGroupArn) {
    return `it belongs to dataset group ${solution.datasetGroupArn ?? 'unknown'}, not ${request.datasetGroupArn}`;
  }
  if (request.performAutoML === true) {
    if (solution.performAutoML !== true) {
      return 'it does not use AutoML (performAutoML), and this request does';
    }
  } else if (solution.performAutoML === true || solution.recipeArn !== request.recipeArn) {
    return `it uses ${solution.performAutoML === true ? 'AutoML' : `recipe ${solution.recipeArn ?? 'unknown'}`}, not recipe ${request.recipeArn ?? 'none'}`;
  }
  if (!createdWithin(solution.creationDateTime, now)) {
    return `it was created at ${solution.creationDateTime?.toISOString() ?? 'an unknown time'}, before this deployment`;
  }
  return undefined;
}
