/**
 * Deploys your app's cloud assembly offline: the Personalize simulator answers for Amazon
 * Personalize, the local runner plays CloudFormation, Lambda and Step Functions, and time is
 * simulated, so a deploy with hours of training takes seconds. Everything Personalize reports here
 * is SIMULATED. See README.md in this folder for where offline differs from AWS.
 */
import { LocalCloudFormation, loadStack, type DeployResult } from '@cdk-personalize/local-deploy';
import { PersonalizeSimulator } from '@cdk-personalize/simulator';

/** One stack event (the public types name nothing of the packages this one bundles). */
export interface StackEvent {
  readonly logicalResourceId: string;
  readonly resourceType: string;
  readonly resourceStatus: string;
  readonly resourceStatusReason?: string;
  /** The construct path below the stack, when the assembly records it. */
  readonly constructPath?: string;
  /** Simulated time of the event (ISO 8601). */
  readonly timestamp: string;
}

/** A cloud assembly: its directory (`cdk.out`), or what `app.synth()` returns. */
export type Assembly = string | { readonly directory: string };

export interface OfflineOptions {
  /**
   * The region and account the simulator pretends to be.
   * @default - the stack's own environment, else us-east-1 and 123456789012
   */
  readonly region?: string;
  readonly accountId?: string;
  /** Receives the runner's lines (stack events, waits). @default - nothing is printed */
  readonly log?: (line: string) => void;
  /** Whether Personalize retrains solutions on their automatic-training schedule. @default false */
  readonly autoTraining?: boolean;
}

export interface OfflineDeployOptions {
  /** Stack parameters. */
  readonly parameters?: Record<string, string>;
}

/** The outcome of one deploy or destroy, as a person or a test reads it. */
export interface OfflineResult {
  readonly stackName: string;
  /** The stack's status, e.g. CREATE_COMPLETE or ROLLBACK_COMPLETE. */
  readonly status: string;
  /** Whether the operation completed (or had nothing to do). */
  readonly succeeded: boolean;
  /** Output values by output key (SIMULATED where Personalize produced them). */
  readonly outputs: Record<string, string>;
  /** What HPO chose, by output key prefix: `{ ForYouVersion: { hidden_dimension: '112', ... } }` (SIMULATED). */
  readonly tunedHyperParameters: Record<string, Record<string, string>>;
  /** Why the operation failed (the first failure's reason), if it did. */
  readonly failureReason?: string;
  /** The events of the failed resources, if any, oldest first. */
  readonly failures: StackEvent[];
  /** Every event of the operation, oldest first. */
  readonly events: StackEvent[];
  /** Simulated minutes the operation took. */
  readonly simulatedMinutes: number;
}

/**
 * One offline cloud: a Personalize simulator and a CloudFormation runner that share simulated
 * time. Deploy as often as you like (updates, rollbacks), then `close()`.
 */
export class OfflineCloud {
  /** Starts the simulator; the runner starts with the first deploy, in the stack's environment. */
  public static async start(options: OfflineOptions = {}): Promise<OfflineCloud> {
    const cloud = new OfflineCloud(options);
    await cloud.simulator.start();
    return cloud;
  }

  private readonly simulator: PersonalizeSimulator;
  /** The account the simulator's ARNs name. */
  public readonly accountId: string;
  private runner?: LocalCloudFormation;

  private constructor(private readonly options: OfflineOptions) {
    this.accountId = options.accountId ?? '123456789012';
    this.simulator = new PersonalizeSimulator({
      region: options.region ?? 'us-east-1',
      accountId: this.accountId,
      autoTraining: options.autoTraining ?? false,
    });
  }

  /** Deploys one stack of `assembly` (the only one when `stackName` is left out). */
  public async deploy(assembly: Assembly, stackName?: string, options: OfflineDeployOptions = {}): Promise<OfflineResult> {
    const stack = loadStack(assembly, stackName);
    const runner = this.runnerFor(stack.environment);
    const started = this.simulator.clock.now();
    const result = await runner.deploy(assembly, stack.stackName, { parameters: options.parameters });
    return this.outcome(result, started);
  }

  /** Deletes a deployed stack, as `cdk destroy` does. */
  public async destroy(stackName: string): Promise<OfflineResult> {
    if (!this.runner) {
      throw new Error(`nothing is deployed: no stack ${stackName}`);
    }
    const started = this.simulator.clock.now();
    const result = await this.runner.destroy(stackName);
    return this.outcome({ ...result, outputs: {} }, started);
  }

  /** Makes the next training fail with `reason`, as Personalize reports a failed solution version. */
  public failNextTraining(reason: string): void {
    this.simulator.failNextTraining({ reason });
  }

  /** Makes the next dataset import fail with `reason`. */
  public failNextImport(reason: string): void {
    this.simulator.failNextImport({ reason });
  }

  /** What Personalize still holds, one line per resource (`dataset group arn:... ACTIVE`): empty after a clean destroy. */
  public leftovers(): string[] {
    const { simulatedTime: _time, ...kinds } = this.simulator.snapshot();
    return Object.entries(kinds).flatMap(([kind, resources]) =>
      (resources as Array<{ arn: string; status?: string }>).map(r => `${kind} ${r.arn}${r.status ? ` ${r.status}` : ''}`));
  }

  /** Lets simulated time pass between deploys (e.g. a week before the next retraining). */
  public advance(ms: number): void {
    this.simulator.clock.advance(ms);
  }

  /** Stops the runner's executions and the simulator. */
  public async close(): Promise<void> {
    await this.runner?.close();
    await this.simulator.stop();
  }

  private runnerFor(environment: { account?: string; region?: string } | undefined): LocalCloudFormation {
    // A stack that names its environment has it in its template (ARNs): the cloud must be there.
    const region = environment?.region ?? this.simulator.region;
    const accountId = environment?.account ?? this.accountId;
    if (this.runner && (this.runner.region !== region || this.runner.accountId !== accountId)) {
      throw new Error(`this offline cloud runs in ${this.runner.accountId}/${this.runner.region}; a stack of ${accountId}/${region} needs another one`);
    }
    if (region !== this.simulator.region || accountId !== this.accountId) {
      throw new Error(`the stack is in ${region}: start the offline cloud with region '${region}' and accountId '${accountId}' (OfflineCloud.start({ region, accountId }))`);
    }
    this.runner ??= new LocalCloudFormation({
      region,
      accountId,
      personalizeEndpoint: this.simulator.endpoint,
      clock: { advance: ms => this.simulator.clock.advance(ms), now: () => this.simulator.clock.now() },
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      log: this.options.log ?? (() => undefined),
      progress: this.options.log !== undefined,
    });
    return this.runner;
  }

  private outcome(result: DeployResult, started: number): OfflineResult {
    const succeeded = result.noChanges === true || /^(CREATE|UPDATE|DELETE)_COMPLETE$/.test(result.status);
    const events: StackEvent[] = result.events.map(e => ({
      logicalResourceId: e.logicalResourceId,
      resourceType: e.resourceType,
      resourceStatus: e.resourceStatus,
      resourceStatusReason: e.resourceStatusReason,
      constructPath: e.constructPath,
      timestamp: e.timestamp,
    }));
    return {
      stackName: result.stackName,
      status: result.status,
      succeeded,
      outputs: result.outputs,
      tunedHyperParameters: tunedOf(result.outputs),
      failureReason: result.failureReason,
      failures: events.filter(e => /_FAILED$/.test(e.resourceStatus) && e.resourceStatusReason),
      events,
      simulatedMinutes: Math.round((this.simulator.clock.now() - started) / 60_000),
    };
  }
}

/** `<prefix>TunedHyperParameters` outputs, parsed. */
function tunedOf(outputs: Record<string, string>): Record<string, Record<string, string>> {
  const tuned: Record<string, Record<string, string>> = {};
  for (const [key, value] of Object.entries(outputs)) {
    const match = /^(.*)TunedHyperParameters$/.exec(key);
    if (match) {
      try {
        tuned[match[1]] = JSON.parse(value);
      } catch {
        // Not the library's output: leave it in outputs only.
      }
    }
  }
  return tuned;
}

/**
 * Deploys one stack of `assembly` to a fresh offline cloud and returns the outcome with the cloud,
 * for more deploys, `destroy` and `close`. For jest:
 *
 *   const { result, cloud } = await deployOffline(app.synth());
 *   expect(result.succeeded).toBe(true);
 *   await cloud.close();
 */
export async function deployOffline(
  assembly: Assembly, options: OfflineOptions & OfflineDeployOptions & { readonly stackName?: string } = {},
): Promise<{ readonly result: OfflineResult; readonly cloud: OfflineCloud }> {
  const environment = loadStack(assembly, options.stackName).environment;
  const cloud = await OfflineCloud.start({
    ...options, region: options.region ?? environment?.region, accountId: options.accountId ?? environment?.account,
  });
  try {
    return { result: await cloud.deploy(assembly, options.stackName, options), cloud };
  } catch (err) {
    await cloud.close();
    throw err;
  }
}

/** The outcome as a short report: status, outputs, what HPO chose, and on failure the failed resources with their reasons. */
export function describeOutcome(result: OfflineResult): string {
  const lines = [`${result.stackName}: ${result.status} after ${result.simulatedMinutes} simulated minutes (offline: Personalize is SIMULATED)`];
  if (result.failureReason) {
    lines.push(`  failed: ${result.failureReason}`);
    for (const event of result.failures) {
      lines.push(`  - ${event.constructPath ?? event.logicalResourceId} (${event.resourceType}) ${event.resourceStatus}: ${event.resourceStatusReason}`);
    }
  }
  const outputs = Object.entries(result.outputs).filter(([key]) => !/TunedHyperParameters$/.test(key));
  if (outputs.length > 0) {
    lines.push('  outputs:');
    lines.push(...outputs.map(([key, value]) => `    ${key} = ${value}`));
  }
  for (const [prefix, tuned] of Object.entries(result.tunedHyperParameters)) {
    const values = Object.entries(tuned).map(([name, value]) => `${name}=${value}`).join(', ');
    lines.push(`  HPO chose for ${prefix} (SIMULATED): ${values || 'nothing (no HPO)'}`);
  }
  return lines.join('\n');
}
