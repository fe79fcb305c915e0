import type {
  CustomResourceLifecycle,
  Decision,
  IsCompleteRequest,
  IsCompleteResponse,
  OnEventRequest,
  OnEventResponse,
} from './types';

/**
 * The skeleton every custom resource type of the provider fills in: one method per request type
 * for onEvent, and one completion check per request type for isComplete. onEvent decides and
 * returns its decision (`Decision`) with the response; isComplete reads that decision instead of
 * working it out again from the properties.
 *
 * A check that has nothing to wait for need not be written: the default is complete.
 */
export abstract class CustomResourceHandler implements CustomResourceLifecycle {
  public async onEvent(event: OnEventRequest): Promise<OnEventResponse> {
    switch (event.RequestType) {
      case 'Create':
        return this.onCreate(event);
      case 'Update':
        return this.onUpdate(event);
      case 'Delete':
        return this.onDelete(event);
      default:
        throw unsupported(event);
    }
  }

  public async isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
    switch (event.RequestType) {
      case 'Create':
        return this.isCreateComplete(event);
      case 'Update':
        return this.isUpdateComplete(event);
      case 'Delete':
        return this.isDeleteComplete(event);
      default:
        throw unsupported(event);
    }
  }

  protected abstract onCreate(event: OnEventRequest): Promise<OnEventResponse>;
  protected abstract onUpdate(event: OnEventRequest): Promise<OnEventResponse>;
  protected abstract onDelete(event: OnEventRequest): Promise<OnEventResponse>;

  protected async isCreateComplete(_event: IsCompleteRequest): Promise<IsCompleteResponse> {
    return { IsComplete: true };
  }

  protected async isUpdateComplete(_event: IsCompleteRequest): Promise<IsCompleteResponse> {
    return { IsComplete: true };
  }

  protected async isDeleteComplete(_event: IsCompleteRequest): Promise<IsCompleteResponse> {
    return { IsComplete: true };
  }
}

/** The action onEvent decided on, or undefined when the event carries no decision. */
export function decisionOf(event: IsCompleteRequest): Decision | undefined {
  const decision = event.Decision;
  return decision !== undefined && typeof decision.action === 'string' ? decision : undefined;
}

function unsupported(event: OnEventRequest): Error {
  return new Error(`Unsupported request type: ${String((event as OnEventRequest).RequestType)}`);
}
