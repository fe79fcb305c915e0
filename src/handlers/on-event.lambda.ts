import { handlerFor } from './registry';
import type { OnEventRequest, OnEventResponse } from './types';

/** Provider framework onEvent: starts the operation and returns without waiting. */
export const handler = async (event: OnEventRequest): Promise<OnEventResponse> => {
  console.log(`onEvent ${event.RequestType} ${event.ResourceType} ${event.LogicalResourceId} ${event.PhysicalResourceId ?? ''}`.trim());
  return handlerFor(event.ResourceType).onEvent(event);
};
