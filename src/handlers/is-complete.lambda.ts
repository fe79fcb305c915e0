import type { IsCompleteRequest, IsCompleteResponse } from './framework/types';
import { handlerFor } from './registry';

/** Provider framework isComplete: polled until it returns IsComplete: true or throws. */
export const handler = async (event: IsCompleteRequest): Promise<IsCompleteResponse> => {
  console.log(`isComplete ${event.RequestType} ${event.ResourceType} ${event.LogicalResourceId} ${event.PhysicalResourceId ?? ''}`.trim());
  return handlerFor(event.ResourceType).isComplete(event);
};
