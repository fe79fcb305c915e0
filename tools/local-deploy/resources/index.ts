/**
 * The table of resource simulators, keyed by resource type.
 */
import { autoDeleteObjectsHandler, bucketDeploymentHandler } from './bucket-deployment';
import { customResourceHandler } from './custom-resources';
import { lambdaFunctionHandler } from './lambda';
import { PERSONALIZE_SIMULATORS } from './personalize';
import { RECORDED_HANDLERS } from './recorded';
import { stateMachineHandler } from './step-functions';
import { waitConditionHandleHandler, waitConditionHandler } from './wait-condition';
import type { ResourceProvisioner } from '../protocol/resources';

export const DEFAULT_HANDLERS: Record<string, ResourceProvisioner> = {
  ...RECORDED_HANDLERS,
  ...PERSONALIZE_SIMULATORS,
  'AWS::Lambda::Function': lambdaFunctionHandler,
  'AWS::StepFunctions::StateMachine': stateMachineHandler,
  'AWS::CloudFormation::WaitConditionHandle': waitConditionHandleHandler,
  'AWS::CloudFormation::WaitCondition': waitConditionHandler,
  'AWS::CloudFormation::CustomResource': customResourceHandler,
  // Recorded: BucketDeployment's handler is Python (see bucket-deployment.ts).
  'Custom::CDKBucketDeployment': bucketDeploymentHandler,
  // Recorded: it empties a bucket, and S3 is recorded.
  'Custom::S3AutoDeleteObjects': autoDeleteObjectsHandler,
};

/** The simulator for `type`; every Custom::* type is a custom resource. */
export function handlerFor(type: string, handlers: Record<string, ResourceProvisioner>): ResourceProvisioner | undefined {
  return handlers[type] ?? (type.startsWith('Custom::') ? handlers['AWS::CloudFormation::CustomResource'] : undefined);
}

export * from '../protocol/resources';
