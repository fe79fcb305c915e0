/**
 * The custom resource protocol: the request CloudFormation sends, the response it expects.
 */
export type RequestType = 'Create' | 'Update' | 'Delete';

/** The event CloudFormation sends to a custom resource. */
export interface CustomResourceRequest {
  readonly RequestType: RequestType;
  readonly ServiceToken: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
  readonly PhysicalResourceId?: string;
}

/** The response a custom resource PUTs to its ResponseURL. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, unknown>;
  readonly NoEcho?: boolean;
}

/** CloudFormation rejects custom resource responses above 4096 bytes. */
export const MAX_RESPONSE_BYTES = 4096;
