import { CfnResource, Validations } from 'aws-cdk-lib';

/**
 * Marks a Personalize L1 whose type is newer than cfn-lint 1.51's resource specification (E3006)
 * and, with `unknownToTemplateValidator`, than aws-cdk-lib's template validator's (F3006): both
 * would report the type as unknown on every stack that has one.
 */
export function acknowledgeNewResourceType(resource: CfnResource, unknownToTemplateValidator: boolean): void {
  if (unknownToTemplateValidator) {
    Validations.of(resource).acknowledge({
      id: 'CloudFormation-Validate::F3006',
      reason: `${resource.cfnResourceType} is newer than the resource specification of the template validator`,
    });
  }
  resource.addMetadata('cfn-lint', { config: { ignore_checks: ['E3006'] } });
}
