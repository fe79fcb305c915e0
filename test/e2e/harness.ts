import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalCloudFormation, type DeployOptions, type DeployResult, type DestroyResult } from '@cdk-personalize/local-deploy';
import { PersonalizeSimulator, type PersonalizeSimulatorOptions, type SimSnapshot } from '@cdk-personalize/simulator';
import { App, CfnParameter, CfnWaitCondition, CfnWaitConditionHandle, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/app';
import { DatasetGroup, HyperParameterRange, HyperParameterRanges, HyperParameters, Recipe, Solution } from '../../src';

/**
 * End-to-end harness: synthesizes small apps with the library, deploys them with the local
 * CloudFormation runner against a fresh Personalize simulator, and checks for leaks. Everything
 * Personalize reports here is SIMULATED.
 */

// Synth-time template validation is slow and not what these tests are about.
process.env.CDK_VALIDATION = 'false';
// The SDK warns once about Node 20 (the runner's own client runs here; handlers get it through `env`).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const REGION = 'us-west-2';
export const ACCOUNT = '000000000000';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

const tempDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes every assembly directory this process synthesized. */
export function removeAssemblies(): void {
  for (const dir of tempDirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Synthesizes one stack (env = the simulator's region and account) into a fresh directory. */
export function synthStack(stackName: string, build: (stack: Stack) => void): string {
  const outdir = tempDir('e2e-assembly');
  const app = new App({ outdir });
  build(new Stack(app, stackName, { env: { account: ACCOUNT, region: REGION } }));
  app.synth();
  return outdir;
}

/** Synthesizes examples/app.ts; returns the directory and the stack name. */
export function synthExample(): { dir: string; stackName: string } {
  const outdir = tempDir('e2e-example');
  const { app, stack } = buildExampleApp(outdir);
  if (stack.region !== REGION || stack.account !== ACCOUNT) {
    throw new Error(`the example stack is in ${stack.account}/${stack.region}, the harness simulates ${ACCOUNT}/${REGION}`);
  }
  app.synth();
  return { dir: outdir, stackName: stack.stackName };
}

/** Options of the small training app most scenarios deploy. */
export interface TrainingAppOptions {
  /** The HPO range of bptt (2 training jobs, both in parallel: 20 + 40 min of training). */
  readonly bptt?: readonly [number, number];
  readonly retrainTrigger?: string;
  readonly trainingTimeout?: Duration;
  /** HPO jobs in total and in parallel. @default [2, 2] */
  readonly jobs?: readonly [number, number];
  /**
   * Removes the version's WaitCondition and result (and outputs), so that the deploy completes while
   * the version still trains: the only way to delete a stack mid-training with a runner that cannot
   * pause a deploy. @default false
   */
  readonly withoutWait?: boolean;
  /**
   * Adds a resource that depends on the version and fails after this long (a WaitCondition that
   * nobody signals): another part of the stack failing while the version trains.
   * @default - none
   */
  readonly failingSiblingAfter?: Duration;
  /** @default 'e2e' */
  readonly datasetGroupName?: string;
  /** Takes hidden_dimension from a CfnParameter `HiddenDimension` (default 64). @default false */
  readonly hiddenDimensionParameter?: boolean;
  /** Turns on automatic training with this schedule. @default - off */
  readonly autoTrainingEvery?: Duration;
  /** User-Personalization-v2 without HPO, with this weight for `click` events. @default - User-Personalization with HPO */
  readonly clickWeight?: number;
  /** A fixed solution name. @default - generated */
  readonly solutionName?: string;
}

/** The stack name of `synthTrainingApp`. */
export const TRAINING_STACK = 'E2eTraining';

/**
 * A dataset group and one User-Personalization solution (HPO over bptt by default) with a version;
 * its outputs are prefixed `Up` (`UpSolutionVersionArn`, `UpTunedBptt`, ...).
 */
export function synthTrainingApp(options: TrainingAppOptions = {}): string {
  return synthStack(TRAINING_STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'DatasetGroup', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: options.datasetGroupName ?? 'e2e' });
    const [min, max] = options.bptt ?? [20, 40];
    const [total, parallel] = options.jobs ?? [2, 2];
    const hiddenDimension = options.hiddenDimensionParameter
      ? new CfnParameter(stack, 'HiddenDimension', { type: 'Number', default: 64 }).valueAsNumber
      : undefined;
    const auto = options.autoTrainingEvery ? { performAutoTraining: true, autoTrainingSchedule: options.autoTrainingEvery } : {};
    const solution = options.clickWeight !== undefined
      ? new Solution(stack, 'Up', {
        datasetGroup,
        solutionName: options.solutionName,
        recipe: Recipe.USER_PERSONALIZATION_V2,
        eventParameters: [{ eventType: 'click', weight: options.clickWeight }],
        ...auto,
      })
      : new Solution(stack, 'Up', {
        datasetGroup,
        solutionName: options.solutionName,
        recipe: Recipe.USER_PERSONALIZATION,
        hyperParameters: hiddenDimension === undefined ? undefined : HyperParameters.userPersonalization({ hiddenDimension }),
        hpo: {
          ranges: HyperParameterRanges.userPersonalization({ bptt: HyperParameterRange.integer(min, max) }),
          maxNumberOfTrainingJobs: total,
          maxParallelTrainingJobs: parallel,
        },
        ...auto,
      });
    const version = solution.addVersion('Version', {
      outputPrefix: 'Up',
      outputs: !options.withoutWait,
      // One output per tuned value and metric, which the scenarios read.
      detailedOutputs: true,
      retrainTrigger: options.retrainTrigger,
      trainingTimeout: options.trainingTimeout,
    });
    if (options.withoutWait) {
      for (const child of version.node.children) {
        if (['Result', 'Training'].includes(child.node.id)) {
          version.node.tryRemoveChild(child.node.id);
        }
      }
    }
    if (options.failingSiblingAfter) {
      const handle = new CfnWaitConditionHandle(stack, 'SiblingHandle');
      const sibling = new CfnWaitCondition(stack, 'FailingSibling', { handle: handle.ref, timeout: String(options.failingSiblingAfter.toSeconds()) });
      sibling.node.addDependency(version.node.defaultChild!);
    }
  });
}

/** One status a solution version was seen in, at a simulated time. */
export interface SeenStatus {
  readonly at: number;
  readonly status: string;
}

/**
 * A fresh simulator and runner for one scenario. Output is collected in `lines`, never printed.
 */
export class E2E {
  /**
   * @param options simulator options
   * @param handlerEnv extra environment of every Lambda function, e.g. a shorter retry budget
   */
  public static async start(options: PersonalizeSimulatorOptions = {}, handlerEnv: Record<string, string> = {}): Promise<E2E> {
    const e2e = new E2E(options, handlerEnv);
    await e2e.sim.start();
    return e2e;
  }

  public readonly sim: PersonalizeSimulator;
  public readonly lines: string[] = [];
  /** Every status each solution version was seen in (checked whenever simulated time moves). */
  public readonly versionHistory = new Map<string, SeenStatus[]>();
  private runnerInstance: LocalCloudFormation | undefined;
  private readonly hooks: Array<{ at: number; run: () => void }> = [];

  private constructor(options: PersonalizeSimulatorOptions, private readonly handlerEnv: Record<string, string>) {
    this.sim = new PersonalizeSimulator({
      region: REGION,
      accountId: ACCOUNT,
      // A solution version must not be trained behind the stack's back.
      autoTraining: false,
      logger: line => this.lines.push(line),
      ...options,
    });
  }

  /** The local CloudFormation runner (created once the simulator listens). */
  public get cfn(): LocalCloudFormation {
    return this.runner();
  }

  public async deploy(dir: string, stackName: string, options?: DeployOptions): Promise<DeployResult> {
    this.watchVersions();
    const result = await this.runner().deploy(dir, stackName, options);
    this.watchVersions();
    return result;
  }

  public async destroy(stackName: string): Promise<DestroyResult> {
    this.watchVersions();
    const result = await this.runner().destroy(stackName);
    this.watchVersions();
    return result;
  }

  public snapshot(): SimSnapshot {
    this.watchVersions();
    return this.sim.snapshot();
  }

  /** Runs `run` once simulated time reaches `at` (epoch ms), during whatever operation is running then. */
  public atSimulatedTime(at: number, run: () => void): void {
    this.hooks.push({ at, run });
  }

  /** Number of calls of one Personalize operation so far. */
  public calls(operation: string): number {
    return this.sim.callCounts()[operation] ?? 0;
  }

  /** Statuses one version was seen in, without repeats. */
  public statusesOf(versionArn: string): string[] {
    return (this.versionHistory.get(versionArn) ?? []).map(s => s.status);
  }

  /** Physical ids of the stack's resources of `type`. */
  public physicalIdsOf(stackName: string, type: string): string[] {
    return (this.cfn.describeStack(stackName)?.resources ?? []).filter(r => r.type === type).map(r => r.physicalId);
  }

  /** Step Functions executions (the training pollers) that still run. */
  public runningExecutions(): string[] {
    return this.cfn.executions().filter(e => e.status === 'RUNNING').map(e => e.name);
  }

  /** What is left in the simulator that a deleted stack should not leave. */
  public leftovers(): string[] {
    const s = this.snapshot();
    return [
      ...s.solutions.map(r => `solution ${r.arn} ${r.status}`),
      ...s.datasetGroups.map(r => `dataset group ${r.arn} ${r.status}`),
      ...s.solutionVersions.map(r => `solution version ${r.arn} ${r.status}`),
      ...s.schemas.map(r => `schema ${r.arn}`),
      ...s.datasets.map(r => `dataset ${r.arn} ${r.status}`),
      ...s.datasetImportJobs.map(r => `dataset import job ${r.arn} ${r.status}`),
      ...s.campaigns.map(r => `campaign ${r.arn} ${r.status}`),
      ...s.eventTrackers.map(r => `event tracker ${r.arn} ${r.status}`),
      ...s.filters.map(r => `filter ${r.arn} ${r.status}`),
      ...s.metricAttributions.map(r => `metric attribution ${r.arn} ${r.status}`),
      ...s.recommenders.map(r => `recommender ${r.arn} ${r.status}`),
      ...this.sim.inProgressTrainings().map(r => `training ${r.arn} ${r.status}`),
    ];
  }

  public async close(): Promise<void> {
    await this.runnerInstance?.close();
    await this.sim.stop();
  }

  private runner(): LocalCloudFormation {
    this.runnerInstance ??= new LocalCloudFormation({
      region: REGION,
      accountId: ACCOUNT,
      personalizeEndpoint: this.sim.endpoint,
      clock: {
        advance: (ms: number) => {
          this.sim.clock.advance(ms);
          this.watchVersions();
          const now = this.sim.clock.now();
          for (const hook of this.hooks.filter(h => h.at <= now)) {
            this.hooks.splice(this.hooks.indexOf(hook), 1);
            hook.run();
          }
        },
        now: () => this.sim.clock.now(),
      },
      // The bundled SDK warns about Node 20 on its first client; nothing here is to be printed.
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...this.handlerEnv },
      log: line => this.lines.push(line),
    });
    return this.runnerInstance;
  }

  private watchVersions(): void {
    if (!this.sim.endpoint) {
      return;
    }
    for (const v of this.sim.snapshot().solutionVersions) {
      const seen = this.versionHistory.get(v.arn) ?? [];
      if (seen[seen.length - 1]?.status !== v.status) {
        seen.push({ at: this.sim.clock.now(), status: v.status });
      }
      this.versionHistory.set(v.arn, seen);
    }
  }
}

/** Outputs whose key ends with `suffix`, by the prefix before it. */
export function outputsEndingWith(outputs: Record<string, string>, suffix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(outputs)
    .filter(([key]) => key.endsWith(suffix))
    .map(([key, value]) => [key.slice(0, -suffix.length), value]));
}

/** Deletes the stack (what a user does next) and checks that nothing runs or is left behind. */
/** Operations of the successful calls, in order, among `operations`. */
export function okCalls(env: E2E, ...operations: string[]): string[] {
  return env.sim.callLog().filter(c => c.outcome === 'ok' && operations.includes(c.operation)).map(c => c.operation);
}

/** The output location a batch job's stack output names (`<id>OutputLocation...`). */
export function batchOutputLocation(outputs: Record<string, string>, id: string = 'Weekly'): string {
  const [key] = Object.keys(outputs).filter(k => k.startsWith(`${id}OutputLocation`));
  return outputs[key];
}

export async function destroyAndCheckLeftovers(env: E2E, stackName: string = TRAINING_STACK): Promise<void> {
  const destroyed = await env.destroy(stackName);
  expect(destroyed.status).toBe('DELETE_COMPLETE');
  expect(env.leftovers()).toEqual([]);
  expect(env.runningExecutions()).toEqual([]);
}
