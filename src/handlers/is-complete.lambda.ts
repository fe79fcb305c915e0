import { handlerFor } from './registry';
import type { IsCompleteRequest, IsCompleteResponse } from './types';

/** Provider framework isComplete: polled until it returns IsComplete: true or throws. */
export const handler = async (event: IsCompleteRequest): Promise<IsCompleteResponse> => {
  console.log(`isComplete ${event.RequestType} ${event.ResourceType} ${event.LogicalResourceId} ${event.PhysicalResourceId ?? ''}`.trim());
  return handlerFor(event.ResourceType).isComplete(event);
};
