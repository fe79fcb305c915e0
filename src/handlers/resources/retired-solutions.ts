import { campaignProgress } from './campaign-progress';
import { RETIRED_SOLUTION_TAG, stackNamePrefixOf } from '../../private/contract';
import type { PersonalizeApi } from '../aws/personalize-api';
import { DELETING_STATES } from '../aws/status';
import { solutionOf } from '../aws/versions';
import { isErrorNamed, RESOURCE_IN_USE, RESOURCE_NOT_FOUND } from '../framework/errors';

/**
 * Solutions a stack replaced while one of its campaigns still served a version of them (a
 * promotion gate kept that version). CloudFormation deletes a replaced solution after the deploy,
 * but Personalize refuses to delete a solution whose version a campaign serves, so the solution's
 * delete tags it as retired instead; the stack's campaigns (once they moved) and solutions (when
 * they are deleted) delete retired solutions that nothing serves any more.
 */

/** The campaign that serves, or is moving to, a version of `solutionArn`; undefined when none. */
export async function campaignServing(personalize: PersonalizeApi, solutionArn: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await personalize.listCampaigns({ solutionArn, nextToken });
    for (const summary of page?.campaigns ?? []) {
      try {
        const { campaign } = await personalize.describeCampaign({ campaignArn: summary.campaignArn });
        const versions = [campaign?.solutionVersionArn, campaign?.latestCampaignUpdate?.solutionVersionArn];
        const moving = campaignProgress(campaign).state === 'changing';
        if (versions.some(v => v !== undefined && solutionOf(v) === solutionArn) || moving) {
          return summary.campaignArn;
        }
      } catch (err) {
        if (!isErrorNamed(err, RESOURCE_NOT_FOUND)) throw err;
      }
    }
    nextToken = page?.nextToken;
  } while (nextToken);
  return undefined;
}

/** The stack's name, from its id (`arn:...:stack/<name>/<guid>`). */
export function stackNameOf(stackId: string): string {
  return stackId.split(':').pop()!.split('/')[1] ?? stackId;
}

/** Marks a solution as retired by the stack `stackId`. */
export async function retire(personalize: PersonalizeApi, solutionArn: string, stackId: string): Promise<void> {
  await personalize.tagResource({ resourceArn: solutionArn, tags: [{ tagKey: RETIRED_SOLUTION_TAG, tagValue: stackId }] });
}

/**
 * Deletes the stack's retired solutions in a dataset group that nothing serves any more. Returns the
 * ones still being deleted (or still served), so that a caller can wait for them.
 */
export async function deleteUnservedRetired(personalize: PersonalizeApi, datasetGroupArn: string, stackId: string): Promise<string[]> {
  // Only the stack's generated names: a replaced solution always has one (a fixed name cannot be
  // replaced), and the handlers may read the tags of those alone.
  const prefix = stackNamePrefixOf(stackNameOf(stackId));
  const waiting: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await personalize.listSolutions({ datasetGroupArn, nextToken });
    for (const solution of page?.solutions ?? []) {
      const arn = solution.solutionArn;
      if (!arn || !solution.name?.startsWith(prefix)) continue;
      const tags = (await personalize.listTagsForResource({ resourceArn: arn }))?.tags;
      if (!tags?.some(t => t.tagKey === RETIRED_SOLUTION_TAG && t.tagValue === stackId)) continue;
      if (solution.status !== undefined && DELETING_STATES.has(solution.status)) {
        waiting.push(arn);
        continue;
      }
      const servedBy = await campaignServing(personalize, arn);
      if (servedBy !== undefined) {
        console.log(`Retired solution ${arn} stays: campaign ${servedBy} serves one of its versions`);
        continue;
      }
      try {
        await personalize.deleteSolution({ solutionArn: arn });
        console.log(`Retired solution ${arn} is no longer served: deleting it`);
        waiting.push(arn);
      } catch (err) {
        if (isErrorNamed(err, RESOURCE_NOT_FOUND)) continue;
        if (!isErrorNamed(err, RESOURCE_IN_USE)) throw err;
        waiting.push(arn);
      }
    }
    nextToken = page?.nextToken;
  } while (nextToken);
  return waiting;
}
