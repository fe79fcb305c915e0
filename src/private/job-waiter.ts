import { Duration, Fn, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import { MAX_JOB_WAIT_SECONDS, MAX_WAIT_SECONDS } from './contract';
import { MergedPolicy } from './merged-policy';
import { acknowledgeNag, wildcardArn } from './nag';
import { JobPollerFunction } from '../handlers/job-poller-function';

const WAITER_ID = 'CdkPersonalizeTrainingWaiter';

export { MAX_JOB_WAIT_SECONDS, MAX_WAIT_SECONDS } from './contract';

/** Longest trainingTimeout. */
export const MAX_TRAINING_TIMEOUT_SECONDS = MAX_JOB_WAIT_SECONDS;

/** The input members every task of the poller passes on (JobPollerInput). */
const INPUT_MEMBERS = ['kind', 'jobArn', 'stackId', 'jobLogicalId', 'waitLogicalId', 'deadline', 'timeoutSeconds', 'expectedSeconds'];

/**
 * Waits for Personalize jobs that outlast CloudFormation's one-hour custom resource limit: trainings,
 * dataset imports and batch jobs (the job kinds of the poller's job-kinds.ts).
 *
 * One per stack: a state machine that describes the job until it ended, then signals the job's
 * WaitCondition with SignalResource, if that job is still the one the stack waits for. Errors never
 * end the polling: after a few retries the machine waits one poll interval and tries again, so
 * throttling or a Lambda hiccup cannot end the wait for a healthy job; only Personalize's own
 * outcome, the job's deadline or a delete does. If an execution dies anyway, an EventBridge rule has
 * the poller stop the job (where its kind can be stopped) and signal.
 *
 * The construct id predates imports: keeping it keeps the logical ids of existing stacks' waiters.
 */
export class JobWaiter extends Construct {
  /** Returns the stack's waiter, creating it on first use. */
  public static of(scope: IConstruct): JobWaiter {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(WAITER_ID);
    return (existing as JobWaiter | undefined) ?? new JobWaiter(stack, WAITER_ID);
  }

  public readonly stateMachine: sfn.StateMachine;
  public readonly poller: JobPollerFunction;

  private readonly policy: MergedPolicy;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    const pollerLogs = new logs.LogGroup(this, 'PollerLogs', { retention: logs.RetentionDays.ONE_MONTH });
    // An own role with only its log group, rather than the AWS managed basic execution policy.
    const pollerRole = new iam.Role(this, 'PollerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-personalize job poller',
    });
    pollerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [pollerLogs.logGroupArn],
    }));
    // Signals go to this stack's wait conditions only; DescribeStackResource tells whether the
    // job is still the one the stack waits for.
    pollerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudformation:SignalResource', 'cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'],
      resources: [stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${stack.stackName}/*` })],
    }));
    this.poller = new JobPollerFunction(this, 'Poller', {
      role: pollerRole,
      description: 'cdk-personalize: polls trainings and imports and signals their wait conditions',
      timeout: Duration.minutes(1),
      memorySize: 256,
      logGroup: pollerLogs,
    });
    this.policy = new MergedPolicy(pollerRole);

    const invoke = (stateId: string, action: string, resultPath: string) => new tasks.LambdaInvoke(this, stateId, {
      lambdaFunction: this.poller,
      payload: sfn.TaskInput.fromObject({
        action,
        ...Object.fromEntries(INPUT_MEMBERS.map(m => [m, sfn.JsonPath.stringAt(`$.${m}`)])),
      }),
      payloadResponseOnly: true,
      resultPath,
    });
    // A few quick retries of anything (Lambda throttling and service errors included); what still
    // fails waits for the next scheduled check and starts over.
    const retry: sfn.RetryProps = { errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3 };

    // Each check says how long to wait before the next one (the execution input has the first).
    const wait = new sfn.Wait(this, 'WaitBeforeCheck', { time: sfn.WaitTime.secondsPath('$.check.waitSeconds') });
    // State ids predate imports; renaming them would change the definition for nothing.
    const check = invoke('CheckTraining', 'check', '$.check');
    check.addRetry(retry);
    check.addCatch(wait, { resultPath: '$.lastError' });

    const signal = invoke('SignalEnd', 'signal', '$.signal');
    signal.addRetry(retry);
    signal.addCatch(wait, { resultPath: '$.lastError' });

    const done = new sfn.Succeed(this, 'Done');
    const definition = wait.next(check).next(new sfn.Choice(this, 'TrainingEnded')
      .when(sfn.Condition.stringEquals('$.check.outcome', 'WAIT'), wait)
      .otherwise(signal.next(new sfn.Choice(this, 'Signalled')
        .when(sfn.Condition.stringEquals('$.signal.result', 'NOT_READY'), wait)
        .otherwise(done))));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      // A job is waited for up to 11 hours; past 13 the stack gave up long ago.
      timeout: Duration.seconds(MAX_WAIT_SECONDS).plus(Duration.hours(1)),
      logs: {
        // The vendedlogs prefix keeps the log group out of CloudWatch Logs' resource policy, whose
        // 5,120 characters many stacks would exhaust. Errors only, without execution data.
        destination: new logs.LogGroup(this, 'StateMachineLogs', {
          logGroupName: `/aws/vendedlogs/states/cdk-personalize-training-${Fn.select(2, Fn.split('/', stack.stackId))}`,
          retention: logs.RetentionDays.ONE_MONTH,
        }),
        level: sfn.LogLevel.ERROR,
        includeExecutionData: false,
      },
      tracingEnabled: true,
    });

    acknowledgeNag(this, [
      {
        rule: wildcardArn('personalize', 'solution/[^*]+(-\\*|/\\*|-\\*/\\*|_\\*)'),
        reason: 'Solution versions get ids from Personalize (NAME/*), a replaced solution with a generated name gets a suffix (NAME-*), and the stack\'s generated names start with STACKNAME_',
      },
      {
        rule: wildcardArn('personalize', '(dataset-import-job|batch-inference-job|batch-segment-job)/[^*]+-\\*'),
        reason: 'Import and batch job names get a suffix per request or per settings; the prefix is the dataset\'s or the batch job\'s own',
      },
      {
        rule: wildcardArn('cloudformation', 'stack/[^/*]+/\\*'),
        reason: 'A stack ARN ends in an id CloudFormation assigns at create: stack/NAME/* is this stack and no other',
      },
      { rule: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray tracing and CloudWatch Logs delivery of a state machine can only be granted on *' },
      { rule: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>:\*\]$/, reason: 'Invoking a Lambda function includes its versions (ARN:*), as aws-cdk-lib grants it' },
      { rule: 'AwsSolutions-L1', reason: 'The poller is pinned to nodejs22.x, which its bundle targets and is tested on' },
      {
        rule: 'AwsSolutions-SF1',
        reason: 'The job poller logs errors only, without execution data, on purpose: ALL would log every poll of a 12-hour job',
      },
    ]);

    new events.Rule(this, 'ExecutionFailed', {
      description: 'cdk-personalize: end a job\'s wait condition when its poller execution dies',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [this.stateMachine.stateMachineArn] },
      },
      targets: [new targets.LambdaFunction(this.poller, { retryAttempts: 8 })],
    });
  }

  /** Allows the poller to call `actions` on `resources`. */
  public allow(actions: string[], resources: string[]): void {
    this.policy.allow(actions, resources);
  }
}
