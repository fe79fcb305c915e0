import {
  DescribeSolutionVersionCommand,
  ListSolutionVersionsCommand,
  StopSolutionVersionCreationCommand,
  type PersonalizeClient,
  type SolutionVersion,
  type SolutionVersionSummary,
} from '@aws-sdk/client-personalize';
import { callService, isErrorNamed, RESOURCE_IN_USE, RESOURCE_NOT_FOUND } from './errors';

/** `arn:<partition>:personalize:<region>:<account>:solution/<solution name>/<version id>`. */
const SOLUTION_VERSION_ARN = /^(arn:[a-z\d-]+:personalize:[^:]*:[^:]*:solution\/[^/]+)\/([^/]+)$/;

export function isSolutionVersionArn(id: string | undefined): id is string {
  return id !== undefined && SOLUTION_VERSION_ARN.test(id);
}

/** The last ARN segment, e.g. `5a515609`. */
export function versionIdOf(arn: string): string {
  return SOLUTION_VERSION_ARN.exec(arn)?.[2] ?? arn.split('/').pop() ?? arn;
}

export async function describeVersion(personalize: PersonalizeClient, solutionVersionArn: string): Promise<SolutionVersion>;
export async function describeVersion(
  personalize: PersonalizeClient, solutionVersionArn: string, allowMissing: true,
): Promise<SolutionVersion | undefined>;
export async function describeVersion(
  personalize: PersonalizeClient,
  solutionVersionArn: string,
  allowMissing = false,
): Promise<SolutionVersion | undefined> {
  try {
    const { solutionVersion } = await callService('DescribeSolutionVersion', () =>
      personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn })));
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
export async function stopVersion(personalize: PersonalizeClient, solutionVersionArn: string): Promise<boolean> {
  try {
    console.log(`StopSolutionVersionCreation ${solutionVersionArn}`);
    await callService('StopSolutionVersionCreation', () =>
      personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn })));
    return true;
  } catch (err) {
    if (isErrorNamed(err, RESOURCE_NOT_FOUND, RESOURCE_IN_USE)) {
      console.log((err as Error).message);
      return false;
    }
    throw err;
  }
}

/** Every version of a solution, newest first. */
export async function listVersions(personalize: PersonalizeClient, solutionArn: string): Promise<SolutionVersionSummary[]> {
  const versions: SolutionVersionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callService('ListSolutionVersions', () =>
      personalize.send(new ListSolutionVersionsCommand({ solutionArn, nextToken, maxResults: 100 })));
    versions.push(...(page.solutionVersions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return versions.sort((a, b) => timeOf(b.creationDateTime) - timeOf(a.creationDateTime));
}

/** Milliseconds since the epoch; an absent time sorts as the newest (it is the least known). */
export function timeOf(date: Date | undefined): number {
  return date instanceof Date ? date.getTime() : Number.MAX_SAFE_INTEGER;
}
