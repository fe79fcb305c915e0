/**
 * LocalCloudFormation: deploys a stack of a synthesized cloud assembly in-process, playing the part
 * of CloudFormation, Lambda and Step Functions. See README.md in this folder.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type DeployedResource, type EngineServices, type OperationEnv, type StackRecord } from './operation-support';
import { StackOperation } from './operations';
import { Printer } from './printer';
import type { StateMachineRecord } from '../protocol/services';
import { DEFAULT_HANDLERS, handlerFor, type ResourceProvisioner, type ResourceInstance } from '../resources';
import { partitionOf, resolveParameters, StackView } from './stack-view';
import type { StackIdentity } from '../protocol/resources';
import type {
  CloudAssemblyLike, DeployOptions, DeployResult, DestroyResult, InvocationRecord, LocalCloudFormationOptions, StackEvent, StackStatus,
} from '../protocol/types';
import { loadStack } from '../services/assembly';
import { SimClock } from '../services/clock';
import { CustomResourceResponses } from '../services/custom-resource-responses';
import { LambdaRuntime } from '../services/lambda-runtime';
import { LocalEndpoint } from '../services/local-endpoint';
import { LocalCloudFormationApi, ResourceSignals } from '../services/resource-signals';
import { type ExecutionSummary, LocalStepFunctions } from '../services/state-machines';
import { WaitConditionService } from '../services/wait-conditions';

/** Stack states from which a deploy starts over with a fresh create (as the CDK CLI does). */
const RECREATE_FROM = new Set<StackStatus>(['ROLLBACK_COMPLETE', 'DELETE_COMPLETE']);
const STUCK = new Set<StackStatus>(['ROLLBACK_FAILED', 'UPDATE_ROLLBACK_FAILED', 'DELETE_FAILED']);
/** What describeStack returns. */
export interface StackDescription {
  readonly status: StackStatus;
  readonly stackId: string;
  readonly outputs: Record<string, string>;
  readonly resources: ResourceInstance[];
}

const ALLOWED_TRANSFORMS = new Set(['AWS::LanguageExtensions']);

export class LocalCloudFormation {
  public readonly region: string;
  public readonly accountId: string;
  private readonly clock: SimClock;
  private readonly printer: Printer;
  private readonly endpoint: LocalEndpoint;
  private readonly lambda: LambdaRuntime;
  private readonly stepFunctions: LocalStepFunctions;
  private readonly waitConditions: WaitConditionService;
  private readonly signals: ResourceSignals;
  private readonly cloudFormationApi: LocalCloudFormationApi;
  private readonly responses = new CustomResourceResponses();
  private readonly services: EngineServices;
  private readonly handlers: Record<string, ResourceProvisioner>;
  private readonly stacks = new Map<string, StackRecord>();
  private readonly running = new Map<string, StackOperation>();
  private readonly personalizeEndpoint: string | undefined;
  private tempDir: string | undefined;
  private requestCounter = 0;
  private stackCounter = 0;

  constructor(private readonly options: LocalCloudFormationOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.personalizeEndpoint = options.personalizeEndpoint ?? options.env?.AWS_ENDPOINT_URL_PERSONALIZE;
    this.clock = new SimClock(options.clock, options.idleGraceMs);
    const sink = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
    this.printer = new Printer(sink);
    this.endpoint = new LocalEndpoint({
      signal: (p, body) => this.waitConditions.signal(p, body),
      respond: (p, body) => this.responses.respond(p, body),
      stepFunctions: (operation, body) => this.stepFunctions.handle(operation, body),
      cloudFormation: body => this.cloudFormationApi.handle(body),
    }, this.clock);
    this.lambda = new LambdaRuntime({
      clock: this.clock,
      region: this.region,
      runnerEnv: () => this.runnerEnv(),
      tempDir: () => this.tempDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'local-deploy-')),
      invocationTimeoutMs: options.invocationTimeoutMs ?? 60_000,
      printLog: options.printLambdaLogs ? sink : undefined,
    });
    this.stepFunctions = new LocalStepFunctions({
      clock: this.clock,
      lambda: this.lambda,
      region: this.region,
      accountId: this.accountId,
      integrations: options.taskIntegrations,
      onExecution: (machine, execution) => this.recordExecution(machine, execution),
    });
    this.waitConditions = new WaitConditionService(this.clock);
    this.signals = new ResourceSignals(this.clock);
    this.cloudFormationApi = new LocalCloudFormationApi({
      find: nameOrId => {
        const record = this.stacks.get(nameOrId) ?? [...this.stacks.values()].find(s => s.identity.stackId === nameOrId);
        return record && { stackName: record.identity.stackName, stackId: record.identity.stackId, status: record.status, resources: record.live };
      },
    }, this.signals);
    this.handlers = { ...DEFAULT_HANDLERS, ...options.resourceHandlers };
    this.services = {
      clock: this.clock,
      lambda: this.lambda,
      stepFunctions: this.stepFunctions,
      waitConditions: this.waitConditions,
      signals: this.signals,
      endpoint: this.endpoint,
      responses: this.responses,
      personalizeEndpoint: this.personalizeEndpoint,
      nextRequestId: () => {
        const n = (++this.requestCounter).toString(16).padStart(12, '0');
        return `00000000-0000-4000-8000-${n}`;
      },
    };
  }

  /**
   * Creates the stack, or updates it when it exists. `assembly` is a cloud assembly directory or the
   * result of `app.synth()`; `stackName` may be omitted when the assembly has one stack.
   */
  public async deploy(assembly: string | CloudAssemblyLike, stackName?: string, options: DeployOptions = {}): Promise<DeployResult> {
    const artifact = loadStack(assembly, stackName);
    const name = artifact.stackName;
    const transforms = ([] as string[]).concat((artifact.template as { Transform?: string | string[] }).Transform ?? []);
    const unsupported = transforms.filter(t => !ALLOWED_TRANSFORMS.has(t));
    if (unsupported.length) throw new Error(`Transform ${unsupported.join(', ')} is not supported by the local runner`);
    const parameters = resolveParameters(artifact.template, options.parameters);

    let stack = this.stacks.get(name);
    if (this.running.has(name)) throw new Error(`Stack ${name} is in ${stack?.status} state and can not be updated`);
    if (stack && STUCK.has(stack.status)) throw new Error(`Stack ${name} is in ${stack.status} state and can not be updated`);
    if (stack && RECREATE_FROM.has(stack.status)) {
      this.printer.line(`${name}: stack is in ${stack.status}, creating it again`);
      this.stacks.delete(name);
      stack = undefined;
    }
    const identity = stack?.identity ?? this.newIdentity(name);
    // Template validation (conditions, dependency cycles) fails before anything is deployed.
    new StackView(identity, artifact.template, parameters, new Map(), t => handlerFor(t, this.handlers)).creationOrder();

    await this.endpoint.start();
    this.printer.line(`${name}: deploying (local)...`);
    return this.clock.operate(async activity => {
      const record = stack ?? this.newRecord(identity, artifact);
      const op = new StackOperation(this.operationEnv(), record, activity);
      this.running.set(name, op);
      let noChanges = false;
      try {
        if (!stack) {
          this.stacks.set(name, record);
          await op.create(artifact, parameters);
        } else if (!op.hasChanges(artifact, parameters)) {
          noChanges = true;
          record.artifact = artifact;
        } else {
          await op.update(artifact, parameters);
        }
      } finally {
        this.running.delete(name);
      }
      const ok = noChanges || record.status === 'CREATE_COMPLETE' || record.status === 'UPDATE_COMPLETE';
      this.printer.summary({
        stackName: name,
        ok,
        status: record.status,
        failureReason: op.failureReason,
        noChanges,
        outputs: record.outputs,
        stackId: ok ? identity.stackId : undefined,
        recorded: this.recordedCounts(record),
        simulatedMs: this.clock.elapsedMs(),
      });
      return {
        stackName: name,
        status: record.status,
        outputs: { ...record.outputs },
        events: op.events,
        ...(op.failureReason !== undefined ? { failureReason: op.failureReason } : {}),
        ...(noChanges ? { noChanges } : {}),
      };
    });
  }

  /** Deletes the stack's resources in reverse dependency order. */
  public async destroy(stackName: string): Promise<DestroyResult> {
    const stack = this.stacks.get(stackName);
    if (!stack) throw new Error(`Stack with id ${stackName} does not exist`);
    if (this.running.has(stackName)) throw new Error(`Stack ${stackName} is in ${stack.status} state`);
    await this.endpoint.start();
    this.printer.line(`${stackName}: destroying (local)...`);
    return this.clock.operate(async activity => {
      const op = new StackOperation(this.operationEnv(), stack, activity);
      this.running.set(stackName, op);
      try {
        await op.destroy();
      } finally {
        this.running.delete(stackName);
      }
      if (stack.status === 'DELETE_COMPLETE') this.stacks.delete(stackName);
      this.printer.line(stack.status === 'DELETE_COMPLETE' ? ` ✅  ${stackName}: destroyed` : ` ❌  ${stackName}: ${stack.status}`);
      return { stackName, status: stack.status, events: op.events };
    });
  }

  /**
   * Lets `ms` of simulated time pass outside a deploy, so that background executions progress
   * (time stands still between operations).
   */
  public async advance(ms: number): Promise<void> {
    await this.endpoint.start();
    await this.clock.operate(async activity => {
      await activity.sleep(ms);
      await activity.wait(this.clock.settled());
    });
  }

  /** Logical id → physical id of the stack's deployed resources. */
  public physicalResources(stackName: string): Record<string, string> {
    const stack = this.stacks.get(stackName);
    return Object.fromEntries([...stack?.resources ?? []].map(([id, r]) => [id, r.physicalId]));
  }

  /** Status, outputs and resources of a stack, or undefined if the runner has no such stack. */
  public describeStack(stackName: string): StackDescription | undefined {
    const stack = this.stacks.get(stackName);
    if (!stack) return undefined;
    const resources = [...stack.resources.values()].map(({ definition, ...instance }: DeployedResource) => instance);
    return { status: stack.status, stackId: stack.identity.stackId, outputs: { ...stack.outputs }, resources };
  }

  /** Every event of the stack since it was created, oldest first. */
  public stackEvents(stackName: string): StackEvent[] {
    return [...this.stacks.get(stackName)?.events ?? []];
  }

  /**
   * Throttles the Lambda functions whose logical id contains `match` for `durationMs` of simulated
   * time from `startMs` (simulated epoch ms, default now).
   */
  public throttleLambda(match: string, durationMs: number, startMs?: number): void {
    this.lambda.throttle(match, durationMs, startMs);
  }

  /**
   * Calls the runner's CloudFormation API as anyone with `cloudformation:SignalResource` could
   * (e.g. to forge a signal in a test). Returns the API's status and XML body.
   */
  public signalResource(stackName: string, logicalId: string, uniqueId: string, status: 'SUCCESS' | 'FAILURE'): { status: number; body: string } {
    const body = new URLSearchParams({ Action: 'SignalResource', Version: '2010-05-15', StackName: stackName, LogicalResourceId: logicalId, UniqueId: uniqueId, Status: status });
    return this.cloudFormationApi.handle(body.toString());
  }

  /** Every SignalResource call so far, accepted or refused. */
  public get resourceSignals(): ResourceSignals['log'] {
    return this.signals.log;
  }

  /** Every Lambda invocation so far, oldest first. */
  public get invocations(): readonly InvocationRecord[] {
    return this.lambda.invocations;
  }

  /** Step Functions executions started so far. */
  public executions(): ExecutionSummary[] {
    return this.stepFunctions.list();
  }

  /** Simulated time that has passed since the runner was created. */
  public get simulatedElapsedMs(): number {
    return this.clock.elapsedMs();
  }

  /** Endpoints the runner serves (valid after the first deploy). */
  public get endpoints(): { stepFunctions: string } {
    return { stepFunctions: this.endpoint.url };
  }

  /** Stops running executions and the local endpoint, and removes temporary files. */
  public async close(): Promise<void> {
    await this.stepFunctions.stopAll();
    await this.endpoint.stop();
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
    this.tempDir = undefined;
  }

  private runnerEnv(): Record<string, string> {
    return {
      ...this.options.env,
      AWS_ENDPOINT_URL_SFN: this.endpoint.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: this.endpoint.url,
      ...(this.personalizeEndpoint ? { AWS_ENDPOINT_URL_PERSONALIZE: this.personalizeEndpoint } : {}),
    };
  }

  private operationEnv(): OperationEnv {
    return { services: this.services, handlers: this.handlers, printer: this.printer, progress: this.options.progress ?? true };
  }

  private newIdentity(stackName: string): StackIdentity {
    const { partition, urlSuffix } = partitionOf(this.region);
    const hex = createHash('sha256').update(`${stackName}/${++this.stackCounter}`).digest('hex');
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const stackId = `arn:${partition}:cloudformation:${this.region}:${this.accountId}:stack/${stackName}/${uuid}`;
    return { stackName, stackId, region: this.region, accountId: this.accountId, partition, urlSuffix };
  }

  private newRecord(identity: StackIdentity, artifact: StackRecord['artifact']): StackRecord {
    return {
      identity, artifact, status: 'CREATE_IN_PROGRESS', parameters: {}, resources: new Map(), outputs: {}, events: [], generations: new Map(), live: new Map(),
    };
  }

  private recordedCounts(stack: StackRecord): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of stack.resources.values()) {
      if (r.recorded) counts[r.recorded] = (counts[r.recorded] ?? 0) + 1;
    }
    return counts;
  }

  /** Execution starts and ends become events of the state machine's stack. */
  private recordExecution(machine: StateMachineRecord, execution: ExecutionSummary): void {
    const stack = this.stacks.get(machine.stackName);
    if (!stack) return;
    const status = execution.status === 'RUNNING' ? 'STARTED' : execution.status;
    const detail = execution.status === 'RUNNING' || execution.status === 'SUCCEEDED' ? '' : `: ${execution.error ?? ''}${causeText(execution.cause)}`;
    const event: StackEvent = {
      stackName: machine.stackName,
      logicalResourceId: machine.logicalId,
      physicalResourceId: execution.executionArn,
      resourceType: 'AWS::StepFunctions::StateMachine',
      resourceStatus: `EXECUTION_${status}` as StackEvent['resourceStatus'],
      resourceStatusReason: `execution ${execution.name}${detail}`,
      timestamp: this.clock.isoNow(),
      ...(stack.artifact.constructPaths.has(machine.logicalId) ? { constructPath: stack.artifact.constructPaths.get(machine.logicalId) } : {}),
    };
    stack.events.push(event);
    this.running.get(machine.stackName)?.events.push(event);
    this.printer.event(event);
  }
}

/** A Lambda error cause is JSON; show just its message. */
function causeText(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause);
    if (typeof parsed?.errorMessage === 'string') return ` ${parsed.errorMessage}`;
  } catch {
    // not JSON: show as is
  }
  return ` ${cause}`;
}
