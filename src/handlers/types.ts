import type { PersonalizeClient } from '@aws-sdk/client-personalize';

/** Custom resource properties as CloudFormation delivers them (every scalar may be a string). */
export type ResourceProperties = Record<string, unknown>;

/** Attributes returned to CloudFormation (`Fn::GetAtt`). */
export type ResourceData = Record<string, string>;

/** What the Provider framework hands the user onEvent function: the CloudFormation request. */
export interface OnEventRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceType: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly StackId: string;
  readonly ServiceToken?: string;
  readonly ResponseURL?: string;
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: ResourceProperties;
  /** Update only. */
  readonly OldResourceProperties?: ResourceProperties;
}

export interface OnEventResponse {
  /** Omit to keep the current id (Update/Delete). A different id on Update means replacement. */
  readonly PhysicalResourceId?: string;
  readonly Data?: ResourceData;
}

/** isComplete receives the request merged with what onEvent returned. */
export type IsCompleteRequest = OnEventRequest & OnEventResponse;

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  /** Only allowed together with IsComplete: true; merged over onEvent's Data. */
  readonly Data?: ResourceData;
}

/** One implementation per custom resource type. */
export interface ResourceHandler {
  onEvent(event: OnEventRequest): Promise<OnEventResponse>;
  isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse>;
}

export type ResourceHandlerFactory = (personalize: PersonalizeClient) => ResourceHandler;
