/**
 * Taking over a resource that a create call answered with ResourceAlreadyExistsException: CloudFormation
 * invokes the provider asynchronously and Lambda retries a failed asynchronous invocation, so the same
 * request can reach a handler twice, and the second create then finds what the first one made.
 */

/**
 * A resource is only taken over when it is this recent: CloudFormation gives up on a custom
 * resource after an hour, so anything older was not created by the request being handled.
 */
export const ADOPT_WINDOW_MS = 2 * 3600 * 1000;

/** Whether `created` lies within the adopt window before `now` (ms since the epoch). An unknown time does not. */
export function createdWithin(created: Date | undefined, now: number, windowMs = ADOPT_WINDOW_MS): boolean {
  return created instanceof Date && !Number.isNaN(created.getTime()) && created.getTime() >= now - windowMs;
}

/** `arn:<partition>:<service>:<region>:<account>:…`. */
const ARN = /^arn:([a-z\d-]+):[^:]+:([^:]+):(\d{12}):/;

/** The `arn:<partition>:personalize:<region>:<account>:` prefix for the first ARN that has all three, e.g. the event's StackId. */
export function personalizeArnPrefix(...arns: Array<string | undefined>): string | undefined {
  for (const arn of arns) {
    const match = arn === undefined ? null : ARN.exec(arn);
    if (match) {
      return `arn:${match[1]}:personalize:${match[2]}:${match[3]}:`;
    }
  }
  return undefined;
}
