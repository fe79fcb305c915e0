
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
  /**
   * What onEvent decided, for isComplete. The provider framework passes every field of onEvent's
   * response on to isComplete; only Data reaches CloudFormation.
   */
  readonly Decision?: Decision;
}

/** A decision of onEvent: what it did (`action`) and the details isComplete needs, all strings. */
export interface Decision {
  readonly action: string;
  readonly [detail: string]: string;
}

/** isComplete receives the request merged with what onEvent returned. */
export type IsCompleteRequest = OnEventRequest & OnEventResponse;

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  /** Only allowed together with IsComplete: true; merged over onEvent's Data. */
  readonly Data?: ResourceData;
}

/** What the provider's two entry points call: one implementation per custom resource type. */
export interface CustomResourceLifecycle {
  onEvent(event: OnEventRequest): Promise<OnEventResponse>;
  isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse>;
}
