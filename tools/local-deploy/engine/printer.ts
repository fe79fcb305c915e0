/**
 * `cdk deploy`-style output. Everything printed is deterministic: no wall-clock times.
 */
import type { StackEvent } from '../protocol/types';
import { formatDuration } from '../services/clock';

/** Progress line interval, in simulated time. */
export const PROGRESS_INTERVAL_MS = 10 * 60_000;

export class Printer {
  constructor(private readonly sink: (line: string) => void) {}

  public line(text = ''): void {
    this.sink(text);
  }

  /** `MyStack | CREATE_IN_PROGRESS | Custom::Thing | Path/Resource reason` */
  public event(e: StackEvent): void {
    const what = e.constructPath ?? e.logicalResourceId;
    const reason = e.resourceStatusReason ? ` ${e.resourceStatusReason}` : '';
    this.sink(`${e.stackName} | ${e.resourceStatus} | ${e.resourceType} | ${what}${reason}`);
  }

  public waiting(stackName: string, label: string, elapsedMs: number): void {
    this.sink(`${stackName} | waiting for ${label} ... ${formatDuration(elapsedMs)} simulated`);
  }

  public summary(args: {
    stackName: string;
    ok: boolean;
    status: string;
    failureReason?: string;
    noChanges?: boolean;
    outputs: Record<string, string>;
    stackId?: string;
    recorded: Record<string, number>;
    simulatedMs: number;
  }): void {
    this.sink('');
    if (args.ok) {
      this.sink(` ✅  ${args.stackName}${args.noChanges ? ' (no changes)' : ''}`);
    } else {
      this.sink(` ❌  ${args.stackName} failed: ${args.status}${args.failureReason ? `: ${args.failureReason}` : ''}`);
    }
    this.sink('');
    const outputs = Object.entries(args.outputs);
    if (outputs.length) {
      // Everything this runner reports comes from a simulation, never from AWS: say so on every line.
      this.sink('Outputs (simulated: local runner + Personalize simulator, not AWS):');
      for (const [key, value] of outputs) this.sink(`${args.stackName}.${key} = ${value}   [simulated]`);
      this.sink('');
    }
    if (args.stackId) {
      this.sink('Stack ARN:');
      this.sink(args.stackId);
      this.sink('');
    }
    this.sink(`simulated time: ${formatDuration(args.simulatedMs)}`);
    const recorded = Object.entries(args.recorded).sort(([a], [b]) => a.localeCompare(b));
    if (recorded.length) this.sink(`recorded (not simulated): ${recorded.map(([service, n]) => `${n} ${service}`).join(', ')}`);
  }
}
