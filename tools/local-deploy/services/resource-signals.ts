/**
 * Resource signals (SignalResource) for resources with a CreationPolicy, and the small
 * CloudFormation API (awsQuery) that handlers call: SignalResource and DescribeStackResource.
 *
 * Strict on purpose: a signal is accepted only while its resource is being created with a
 * CreationPolicy, whoever sends it; otherwise it is refused with CloudFormation's ValidationError.
 * Refused signals are not kept for a later creation of the same logical id.
 */
import type { Activity, SimClock } from './clock';
import { onCancel } from './wait-conditions';
import { SignalsNotReceived } from '../protocol/resources';

export interface LiveResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  readonly status: string;
  readonly timestamp: string;
}

/** What the engine tells the API about its stacks. */
export interface StackDirectory {
  /** The stack by name or stack id. */
  find(stackNameOrId: string): { stackName: string; stackId: string; status: string; resources: ReadonlyMap<string, LiveResource> } | undefined;
}

/** A CloudFormation API error (awsQuery). */
export class CloudFormationError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** A resource creation ended without the signals it needed; the message is CloudFormation's reason. */

interface Awaiting {
  readonly count: number;
  readonly successes: Set<string>;
  readonly failures: string[];
  notify(): void;
}

export class ResourceSignals {
  private readonly awaiting = new Map<string, Awaiting>();
  /** Every signal call, accepted or refused (for tests and the README's claims). */
  public readonly log: Array<{ stackId: string; logicalId: string; uniqueId: string; status: string; accepted: boolean; at: number }> = [];

  constructor(private readonly clock: SimClock) {}

  /**
   * Waits for `count` SUCCESS signals to `logicalId` during its creation. Fails on the first
   * FAILURE signal or after `timeoutSeconds` of simulated time.
   */
  public async await(
    stackId: string, logicalId: string, count: number, timeoutSeconds: number, activity: Activity, cancelled?: AbortSignal,
  ): Promise<void> {
    const key = `${stackId}/${logicalId}`;
    let cancelTimer = () => {};
    const done = new Promise<void>((resolve, reject) => {
      const entry: Awaiting = {
        count,
        successes: new Set(),
        failures: [],
        notify: () => {
          if (entry.failures.length > 0) reject(new SignalsNotReceived(`Received FAILURE signal with UniqueId ${entry.failures[0]}`));
          else if (entry.successes.size >= count) resolve();
        },
      };
      this.awaiting.set(key, entry);
      cancelTimer = this.clock.schedule(timeoutSeconds * 1000, () => {
        reject(new SignalsNotReceived(`Failed to receive ${count} resource signal(s) within the specified duration`));
      });
      onCancel(cancelled, () => reject(new SignalsNotReceived('Resource creation cancelled')));
    });
    try {
      await activity.wait(done);
    } finally {
      cancelTimer();
      this.awaiting.delete(key);
    }
  }

  /** SignalResource: refused unless the resource is waiting for signals right now. */
  public signal(
    stack: { stackId: string; stackName?: string; status?: string; resources: ReadonlyMap<string, LiveResource> },
    logicalId: string, uniqueId: string, status: string,
  ): void {
    const entry = this.awaiting.get(`${stack.stackId}/${logicalId}`);
    const accepted = entry !== undefined && (status === 'SUCCESS' || status === 'FAILURE');
    this.log.push({ stackId: stack.stackId, logicalId, uniqueId, status, accepted, at: this.clock.now() });
    if (status !== 'SUCCESS' && status !== 'FAILURE') {
      throw new CloudFormationError('ValidationError', `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [SUCCESS, FAILURE]`);
    }
    if (!entry) {
      // A stack that no operation is running on refuses signals as a whole.
      if (stack.status !== undefined && !stack.status.endsWith('_IN_PROGRESS')) {
        throw new CloudFormationError('ValidationError', `Stack ${stack.stackName ?? stack.stackId} is in ${stack.status} state and cannot be signaled`);
      }
      const live = stack.resources.get(logicalId);
      if (!live) throw new CloudFormationError('ValidationError', `Resource ${logicalId} does not exist for stack ${stack.stackId}`);
      throw new CloudFormationError('ValidationError', `Resource ${logicalId} is in ${live.status} state and cannot be signaled`);
    }
    if (status === 'SUCCESS') entry.successes.add(uniqueId);
    else entry.failures.push(uniqueId);
    entry.notify();
  }
}

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** The CloudFormation Query API the runner serves (form-encoded POST, XML answers). */
export class LocalCloudFormationApi {
  private requests = 0;

  constructor(private readonly stacks: StackDirectory, private readonly signals: ResourceSignals) {}

  public handle(body: string): { status: number; body: string } {
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    const requestId = `00000000-0000-4000-9000-${(++this.requests).toString(16).padStart(12, '0')}`;
    try {
      const result = this.dispatch(action, params);
      return {
        status: 200,
        body: `<${action}Response xmlns="${XMLNS}">${result === undefined ? '' : `<${action}Result>${result}</${action}Result>`}` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      };
    } catch (e) {
      const err = e instanceof CloudFormationError ? e : new CloudFormationError('InternalFailure', (e as Error).message, 500);
      return {
        status: err.status,
        body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message></Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    }
  }

  private dispatch(action: string, params: URLSearchParams): string | undefined {
    const required = (name: string): string => {
      const value = params.get(name);
      if (!value) throw new CloudFormationError('ValidationError', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
      return value;
    };
    switch (action) {
      case 'SignalResource': {
        const stack = this.stack(required('StackName'));
        this.signals.signal(stack, required('LogicalResourceId'), required('UniqueId'), required('Status'));
        return undefined;
      }
      case 'DescribeStackResource': {
        const stack = this.stack(required('StackName'));
        const logicalId = required('LogicalResourceId');
        const live = stack.resources.get(logicalId);
        if (!live) throw new CloudFormationError('ValidationError', `Resource ${logicalId} does not exist for stack ${stack.stackName}`);
        return '<StackResourceDetail>' +
          tag('StackName', stack.stackName) + tag('StackId', stack.stackId) + tag('LogicalResourceId', live.logicalId) +
          (live.physicalId ? tag('PhysicalResourceId', live.physicalId) : '') + tag('ResourceType', live.type) +
          tag('LastUpdatedTimestamp', live.timestamp) + tag('ResourceStatus', live.status) +
          '</StackResourceDetail>';
      }
      case 'DescribeStacks': {
        const stack = this.stack(required('StackName'));
        return '<Stacks><member>' + tag('StackName', stack.stackName) + tag('StackId', stack.stackId) +
          tag('CreationTime', new Date(0).toISOString()) + tag('StackStatus', stack.status) + '</member></Stacks>';
      }
      default:
        throw new CloudFormationError('InvalidAction', `The action ${action} is not valid for this web service (local runner).`);
    }
  }

  private stack(nameOrId: string) {
    const stack = this.stacks.find(nameOrId);
    if (!stack) throw new CloudFormationError('ValidationError', `Stack with id ${nameOrId} does not exist`);
    return stack;
  }
}

function tag(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
