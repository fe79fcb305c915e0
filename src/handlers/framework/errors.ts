/**
 * A failed Personalize call. The message carries the operation, the service's error name and its
 * message, so the CloudFormation event shows Personalize's own reason.
 */
export class PersonalizeCallError extends Error {
  constructor(
    public readonly operation: string,
    public readonly errorName: string,
    serviceMessage: string,
  ) {
    super(`${operation} failed: ${errorName}: ${serviceMessage}`);
    this.name = 'PersonalizeCallError';
  }
}

/**
 * Runs one service call and rethrows any failure as a PersonalizeCallError. The operation name is
 * passed explicitly because the bundles are minified (command class names do not survive).
 */
export async function callService<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    throw new PersonalizeCallError(operation, e.name || 'Error', e.message || 'no message');
  }
}

/** True when `err` is (or wraps) a service error with one of the given names. */
export function isErrorNamed(err: unknown, ...names: string[]): boolean {
  if (err instanceof PersonalizeCallError) {
    return names.includes(err.errorName);
  }
  return err instanceof Error && names.includes(err.name);
}

export const RESOURCE_NOT_FOUND = 'ResourceNotFoundException';
export const RESOURCE_IN_USE = 'ResourceInUseException';
