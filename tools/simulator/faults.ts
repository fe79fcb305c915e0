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

export interface FailImportSpec {
  /** The failureReason the import job reports. */
  readonly reason: string;
  /** Only an import whose data location ends with this fails; any import when omitted. */
  readonly dataLocation?: string;
}

/** How much data the simulator takes to be at an import's location: its duration grows with it. */
export interface ImportDataSpec {
  /** Records at the location. */
  readonly records: number;
  /** Imports whose data location ends with this; every import when omitted. */
  readonly dataLocation?: string;
}

interface ArmedFault {
  readonly spec: FaultSpec;
  remaining: number;
}

/** Faults armed by tests; each fires a fixed number of times, in the order injected. */
export class FaultInjector {
  private readonly faults: ArmedFault[] = [];
  private readonly trainingFailures: FailTrainingSpec[] = [];
  private readonly importFailures: FailImportSpec[] = [];
  private readonly batchFailures: string[] = [];

  inject(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`);
    this.faults.push({ spec, remaining: times });
  }

  /** Makes the next training (of `solutionArn`, or of any solution) end in CREATE FAILED. */
  failNextTraining(spec: FailTrainingSpec): void {
    this.trainingFailures.push(spec);
  }

  /** Makes the next import (from a location ending with `dataLocation`, or any) end in CREATE FAILED. */
  failNextImport(spec: FailImportSpec): void {
    this.importFailures.push(spec);
  }

  /** Makes the next batch inference or batch segment job end in CREATE FAILED with `reason`. */
  failNextBatchJob(reason: string): void {
    this.batchFailures.push(reason);
  }

  /** Removes every armed fault, training failure, import failure and batch job failure. */
  clear(): void {
    this.faults.length = 0;
    this.trainingFailures.length = 0;
    this.importFailures.length = 0;
    this.batchFailures.length = 0;
  }

  /** @internal Consumes the failure reason for the next batch job, if one is armed. */
  takeBatchFailure(): string | undefined {
    return this.batchFailures.shift();
  }

  /** Number of fault firings still armed. */
  pending(): number {
    return this.faults.reduce((n, f) => n + f.remaining, 0) + this.trainingFailures.length + this.importFailures.length + this.batchFailures.length;
  }

  /** @internal Consumes the failure reason for an import from `dataLocation`, if one is armed. */
  takeImportFailure(dataLocation: string | undefined): string | undefined {
    const i = this.importFailures.findIndex((f) => !f.dataLocation || (dataLocation ?? '').endsWith(f.dataLocation));
    if (i < 0) return undefined;
    return this.importFailures.splice(i, 1)[0].reason;
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
