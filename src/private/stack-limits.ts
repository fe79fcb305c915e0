import { Stack } from 'aws-cdk-lib';

/** CloudFormation's and IAM's limits that a stack of many trained solutions meets first. */
export const STACK_LIMITS = {
  /** Outputs per stack (not adjustable). */
  outputs: 200,
  /** Resources per stack (adjustable in aws-cdk-lib with the `@aws-cdk/core:stackResourceLimit` context key). */
  resources: 500,
  /** Bytes of a template uploaded to S3, as `cdk deploy` does. */
  templateBytes: 1_000_000,
  /** Managed policies attached to one role (IAM's default quota; it can be raised to 20). */
  managedPoliciesPerRole: 10,
} as const;

/** Context key for a raised IAM quota of managed policies per role. */
export const MANAGED_POLICIES_CONTEXT = 'cdk-personalize:managedPoliciesPerRole';

const ADVICE = 'Split the solutions over several stacks, or';

/**
 * What in `stack`'s template CloudFormation or IAM would refuse at deploy. Runs as a validation of
 * every stack with this library's provider, on the template as it will be written. aws-cdk-lib
 * itself only warns about outputs and template size.
 */
export function stackLimitProblems(stack: Stack): string[] {
  // Validation runs after prepare (aspects and references done), so this is the final template.
  const template = stack.resolve((stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as Template;
  const problems: string[] = [];
  const resources = Object.entries(template.Resources ?? {});
  const outputs = Object.keys(template.Outputs ?? {}).length;
  if (outputs > STACK_LIMITS.outputs) {
    const versions = resources.filter(([, r]) => r.Type === 'Custom::PersonalizeTrainingResult').length;
    problems.push(`Stack ${stack.stackName} has ${outputs} outputs; CloudFormation allows ${STACK_LIMITS.outputs}. ` +
      `Its ${versions} solution versions add 4 each (more with detailedOutputs). ${ADVICE} set outputs: false or detailedOutputs: false on some versions.`);
  }
  const resourceLimit = Number(stack.node.tryGetContext('@aws-cdk/core:stackResourceLimit') ?? STACK_LIMITS.resources);
  if (resources.length > resourceLimit) {
    problems.push(`Stack ${stack.stackName} has ${resources.length} resources; CloudFormation allows ${resourceLimit}. ` +
      'A solution with one version takes 5. Split the solutions over several stacks.');
  }
  // `cdk deploy` uploads the template indented by one space unless indentation is suppressed.
  const bytes = Buffer.byteLength(JSON.stringify(template, undefined, 1));
  if (bytes > STACK_LIMITS.templateBytes) {
    problems.push(`Stack ${stack.stackName}'s template takes ${bytes} bytes; CloudFormation allows ${STACK_LIMITS.templateBytes}. ` +
      `${ADVICE} set the @aws-cdk/core:suppressTemplateIndentation context key.`);
  }
  const policyLimit = Number(stack.node.tryGetContext(MANAGED_POLICIES_CONTEXT) ?? STACK_LIMITS.managedPoliciesPerRole);
  for (const [roleId, role] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
    const attached = (role.Properties?.ManagedPolicyArns as unknown[] | undefined)?.length ?? 0;
    const overflow = resources.filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' &&
      ((r.Properties?.Roles as unknown[] | undefined) ?? []).some(ref => JSON.stringify(ref) === JSON.stringify({ Ref: roleId }))).length;
    if (attached + overflow > policyLimit) {
      problems.push(`Role ${roleId} of stack ${stack.stackName} has ${attached + overflow} managed policies (${overflow} of them ` +
        `for statements that overflowed its inline policy); IAM allows ${policyLimit} by default. ${ADVICE} after raising the ` +
        `quota, set the ${MANAGED_POLICIES_CONTEXT} context key to it.`);
    }
  }
  return problems;
}

interface Template {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
  readonly Outputs?: Record<string, unknown>;
}
