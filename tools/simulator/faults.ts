/** What an injected fault does to a matching request. */
export type FaultKind =
  | 'ThrottlingException' // 400, retried by the SDK
  | 'LimitExceededException' // 400, retried by the SDK (it is in its throttling list)
  | 'InternalServerError' // HTTP 500, retried by the SDK
  | 'Slow' // answers normally after `delayMs` of wall time
  | 'ConnectionReset'; // destroys the socket without answering

export interface FaultSpec {
  /** Operation name such as `CreateSolutionVersion`, or `*` for any. */
  readonly operation: string;
  readonly kind: FaultKind;
  /** How many matching requests this fault hits (default 1). */
  readonly times?: number;
  /** Wall-clock delay for `Slow` (default 1000 ms). */
  readonly delayMs?: number;
}

export interface FailTrainingSpec {
  /** The failureReason the version reports. */
  readonly reason: string;
  /** Only a version of this solution fails; any solution when omitted. */
  readonly solutionArn?: string;
}

interface ArmedFault {
  readonly spec: FaultSpec;
  remaining: number;
}

/** Faults armed by tests; each fires a fixed number of times, in the order injected. */
export class FaultInjector {
  private readonly faults: ArmedFault[] = [];
  private readonly trainingFailures: FailTrainingSpec[] = [];

  inject(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`);
    this.faults.push({ spec, remaining: times });
  }

  /** Makes the next training (of `solutionArn`, or of any solution) end in CREATE FAILED. */
  failNextTraining(spec: FailTrainingSpec): void {
    this.trainingFailures.push(spec);
  }

  /** Removes every armed fault and training failure. */
  clear(): void {
    this.faults.length = 0;
    this.trainingFailures.length = 0;
  }

  /** Number of fault firings still armed. */
  pending(): number {
    return this.faults.reduce((n, f) => n + f.remaining, 0) + this.trainingFailures.length;
  }

  /** @internal Consumes and returns the fault for this request, if any. */
  take(operation: string): FaultSpec | undefined {
    const armed = this.faults.find((f) => f.spec.operation === '*' || f.spec.operation === operation);
    if (!armed) return undefined;
    armed.remaining -= 1;
    if (armed.remaining === 0) this.faults.splice(this.faults.indexOf(armed), 1);
    return armed.spec;
  }

  /** @internal Consumes the failure reason for a training of `solutionArn`, if one is armed. */
  takeTrainingFailure(solutionArn: string): string | undefined {
    const i = this.trainingFailures.findIndex((f) => !f.solutionArn || f.solutionArn === solutionArn);
    if (i < 0) return undefined;
    return this.trainingFailures.splice(i, 1)[0].reason;
  }
}
