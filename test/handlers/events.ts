import type { Decision, IsCompleteRequest, OnEventRequest, OnEventResponse, ResourceProperties } from '../../src/handlers/framework/types';

/** Builders for the events the Provider framework passes to the user handlers. */

export const DATASET_GROUP_ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/dg';
export const RECIPE_ARN = 'arn:aws:personalize:::recipe/aws-user-personalization';
export const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent';

export function solutionArn(name: string): string {
  return `arn:aws:personalize:us-east-1:123456789012:solution/${name}`;
}

export function versionArn(name: string, id: string): string {
  return `${solutionArn(name)}/${id}`;
}

const COMMON = {
  ResourceType: 'Custom::PersonalizeSolution',
  RequestId: '8f1d4c2e-7f8a-4a53-9b36-2d6c1e0a4f11',
  LogicalResourceId: 'Solution',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/test/guid',
  ServiceToken: SERVICE_TOKEN,
  ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/presigned',
};

export function createEvent(props: ResourceProperties, overrides: Partial<OnEventRequest> = {}): OnEventRequest {
  return { ...COMMON, RequestType: 'Create', ResourceProperties: props, ...overrides };
}

export function updateEvent(
  physicalId: string,
  oldProps: ResourceProperties,
  props: ResourceProperties,
  overrides: Partial<OnEventRequest> = {},
): OnEventRequest {
  return {
    ...COMMON,
    RequestType: 'Update',
    PhysicalResourceId: physicalId,
    ResourceProperties: props,
    OldResourceProperties: oldProps,
    ...overrides,
  };
}

export function deleteEvent(physicalId: string, props: ResourceProperties): OnEventRequest {
  return { ...COMMON, RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: props };
}

/** What isComplete receives: the request merged with onEvent's response (its physical id and decision). */
export function completeEvent(event: OnEventRequest, physicalId: string, decision: Decision): IsCompleteRequest {
  return { ...event, PhysicalResourceId: physicalId, Decision: decision };
}

/** What the provider framework hands isComplete: the request merged with onEvent's whole response. */
export function afterOnEvent(event: OnEventRequest, response: OnEventResponse): IsCompleteRequest {
  return { ...event, ...response, PhysicalResourceId: response.PhysicalResourceId ?? event.PhysicalResourceId };
}

/** Properties as CloudFormation delivers them: control keys in PascalCase, every scalar a string. */
export function stringProps(name: string, extra: ResourceProperties = {}): ResourceProperties {
  return {
    ServiceToken: SERVICE_TOKEN,
    NameIsGenerated: 'false',
    name,
    datasetGroupArn: DATASET_GROUP_ARN,
    recipeArn: RECIPE_ARN,
    ...extra,
  };
}
