// The SDK is a devDependency on purpose: esbuild bundles it into the handler.
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { SolutionHandler } from './solution';
import type { ResourceHandler, ResourceHandlerFactory } from './types';
import { SOLUTION_RESOURCE_TYPE } from '../private/contract';

/** Resource type → handler. Serving another custom resource type is one line here. */
const HANDLERS = new Map<string, ResourceHandlerFactory>([
  [SOLUTION_RESOURCE_TYPE, (personalize) => new SolutionHandler(personalize)],
]);

/**
 * Throttling and LimitExceededException (which Personalize also uses for quota breaches) are retried
 * by the SDK with backoff; six attempts give the control plane a few seconds to recover.
 */
export const MAX_ATTEMPTS = 6;

let client: PersonalizeClient | undefined;

/** One client per Lambda container, created on first use. */
export function personalizeClient(): PersonalizeClient {
  client ??= new PersonalizeClient({ maxAttempts: MAX_ATTEMPTS });
  return client;
}

export function handlerFor(resourceType: string): ResourceHandler {
  const factory = HANDLERS.get(resourceType);
  if (!factory) {
    throw new Error(`Unsupported resource type "${resourceType}" (supported: ${[...HANDLERS.keys()].join(', ')})`);
  }
  return factory(personalizeClient());
}
