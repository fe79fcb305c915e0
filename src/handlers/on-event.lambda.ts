import type { OnEventRequest, OnEventResponse } from './framework/types';
import { handlerFor } from './registry';

/** Provider framework onEvent: starts the operation and returns without waiting. */
export const handler = async (event: OnEventRequest): Promise<OnEventResponse> => {
  console.log(`onEvent ${event.RequestType} ${event.ResourceType} ${event.LogicalResourceId} ${event.PhysicalResourceId ?? ''}`.trim());
  return handlerFor(event.ResourceType).onEvent(event);
};
