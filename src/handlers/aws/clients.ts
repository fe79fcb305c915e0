// The SDKs are devDependencies on purpose: esbuild bundles them into the handlers.
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * Clients shared by the handlers, one per Lambda container, created on first use. They live apart
 * from the registry so that the training poller's bundle does not pull in every resource handler.
 */

/**
 * Throttling and LimitExceededException (which Personalize also uses for quota breaches) are retried
 * by the SDK with backoff; six attempts give the control plane a few seconds to recover.
 */
export const MAX_ATTEMPTS = 6;

let personalize: PersonalizeClient | undefined;
let sfn: SFNClient | undefined;

export function personalizeClient(): PersonalizeClient {
  personalize ??= new PersonalizeClient({ maxAttempts: MAX_ATTEMPTS });
  return personalize;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({ maxAttempts: MAX_ATTEMPTS });
  return sfn;
}
