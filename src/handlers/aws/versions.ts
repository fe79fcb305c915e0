import type { SolutionVersion, SolutionVersionSummary } from '@aws-sdk/client-personalize';
import type { PersonalizeApi } from './personalize-api';
import { isErrorNamed, RESOURCE_IN_USE, RESOURCE_NOT_FOUND } from '../framework/errors';

/** Solution versions as the handlers and the poller read and stop them. */

export async function describeVersion(personalize: PersonalizeApi, solutionVersionArn: string): Promise<SolutionVersion>;
export async function describeVersion(
  personalize: PersonalizeApi, solutionVersionArn: string, allowMissing: true,
): Promise<SolutionVersion | undefined>;
export async function describeVersion(
  personalize: PersonalizeApi,
  solutionVersionArn: string,
  allowMissing = false,
): Promise<SolutionVersion | undefined> {
  try {
    const { solutionVersion } = await personalize.describeSolutionVersion({ solutionVersionArn });
    if (!solutionVersion) {
      throw new Error(`DescribeSolutionVersion returned no solutionVersion for ${solutionVersionArn}`);
    }
    return solutionVersion;
  } catch (err) {
    if (allowMissing && isErrorNamed(err, RESOURCE_NOT_FOUND)) {
      return undefined;
    }
    throw err;
  }
}

/**
 * StopSolutionVersionCreation. Returns false when Personalize refused because the version is no
 * longer pending or training (ResourceInUse) or is gone (ResourceNotFound).
 */
export async function stopVersion(personalize: PersonalizeApi, solutionVersionArn: string): Promise<boolean> {
  try {
    console.log(`StopSolutionVersionCreation ${solutionVersionArn}`);
    await personalize.stopSolutionVersionCreation({ solutionVersionArn });
    return true;
  } catch (err) {
    if (isErrorNamed(err, RESOURCE_NOT_FOUND, RESOURCE_IN_USE)) {
      console.log((err as Error).message);
      return false;
    }
    throw err;
  }
}

/** Every version of a solution, newest first; undefined with `allowMissing` when the solution is gone. */
export async function listVersions(personalize: PersonalizeApi, solutionArn: string): Promise<SolutionVersionSummary[]>;
export async function listVersions(
  personalize: PersonalizeApi, solutionArn: string, allowMissing: true,
): Promise<SolutionVersionSummary[] | undefined>;
export async function listVersions(
  personalize: PersonalizeApi,
  solutionArn: string,
  allowMissing = false,
): Promise<SolutionVersionSummary[] | undefined> {
  const versions: SolutionVersionSummary[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await personalize.listSolutionVersions({ solutionArn, nextToken, maxResults: 100 });
      versions.push(...(page.solutionVersions ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (err) {
    if (allowMissing && isErrorNamed(err, RESOURCE_NOT_FOUND)) {
      return undefined;
    }
    throw err;
  }
  return versions.sort((a, b) => timeOf(b.creationDateTime) - timeOf(a.creationDateTime));
}

/** Milliseconds since the epoch; an absent time sorts as the newest (it is the least known). */
export function timeOf(date: Date | undefined): number {
  return date instanceof Date ? date.getTime() : Number.MAX_SAFE_INTEGER;
}

/** `arn:...:solution/name/id` → `arn:...:solution/name`. */
export function solutionOf(versionArn: string): string {
  return versionArn.slice(0, versionArn.lastIndexOf('/'));
}
