import { Arn, ArnComponents, ArnFormat, Aws, ResourceEnvironment, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';

/**
 * The partition of the stack containing `scope`: a literal when the stack's region is known, so
 * templates of region-specific stacks carry plain ARNs, else the AWS::Partition pseudo parameter.
 */
export function partitionOf(scope: IConstruct): string {
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region)) {
    const partition = RegionInfo.get(region).partition;
    if (partition) {
      return partition;
    }
  }
  return Aws.PARTITION;
}

/** The ARN of a solution (or, with `name/*`, of its versions) in the stack containing `scope`. */
export function solutionArnOf(scope: IConstruct, resourceName: string): string {
  return personalizeArnOf(scope, 'solution', resourceName);
}

/** The ARN of a Personalize resource of `type` (`campaign`, `filter`, ...) named `name`, in the stack containing `scope`. */
export function personalizeArnOf(scope: IConstruct, type: string, name: string): string {
  return Stack.of(scope).formatArn(personalizeArnComponents(scope, type, name));
}

/** The parts of such an ARN, for `getResourceArnAttribute` (what an owned resource's ARN is in another environment). */
export function personalizeArnComponents(scope: IConstruct, type: string, name: string): ArnComponents {
  return { partition: partitionOf(scope), service: 'personalize', resource: type, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME };
}

/** The ARN of a Personalize resource in the environment (region and account) of `owner`, e.g. of a dataset group that may be imported. */
export function personalizeArnIn(scope: IConstruct, owner: { readonly env: ResourceEnvironment }, type: string, name: string): string {
  return Arn.format({ ...personalizeArnComponents(scope, type, name), region: owner.env.region, account: owner.env.account }, Stack.of(scope));
}

/** The ARN of a group's dataset of one type, built at synth so a policy naming it need not wait for the dataset. */
export function datasetArnOf(
  scope: IConstruct, group: { readonly env: ResourceEnvironment; readonly datasetGroupName: string }, datasetType: string,
): string {
  return personalizeArnIn(scope, group, 'dataset', `${group.datasetGroupName}/${datasetType.toUpperCase()}`);
}
