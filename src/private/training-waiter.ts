import { Duration, Fn, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import { MergedPolicy } from './merged-policy';
import { acknowledgeNag, wildcardArn } from './nag';
import { TrainingPollerFunction } from '../handlers/training-poller-function';

const WAITER_ID = 'CdkPersonalizeTrainingWaiter';

/** Longest a WaitCondition can wait: 12 hours. */
export const MAX_WAIT_SECONDS = 43_200;

/**
 * Longest trainingTimeout: the wait condition's 12 hours less one hour, in which the poller notices
 * the deadline (it never waits past it), stops the training and signals, with retries.
 */
export const MAX_TRAINING_TIMEOUT_SECONDS = MAX_WAIT_SECONDS - 3600;

/** The input members every task of the poller passes on. */
const INPUT_MEMBERS = ['solutionVersionArn', 'stackId', 'versionLogicalId', 'waitLogicalId', 'deadline', 'trainingTimeoutSeconds', 'expectedTrainingSeconds'];

/**
 * Waits for trainings that outlast CloudFormation's one-hour custom resource limit.
 *
 * One per stack: a state machine that polls DescribeSolutionVersion until the training ended, then
 * signals the training's WaitCondition with SignalResource, if that training is still the one the
 * stack waits for. Errors never end the polling: after a few retries the machine waits one poll
 * interval and tries again, so throttling or a Lambda hiccup cannot stop a healthy training; only
 * Personalize's own outcome, the poller's deadline (trainingTimeout) or a delete ends a training.
 * If an execution dies anyway, an EventBridge rule has the poller stop the training and signal.
 */
export class TrainingWaiter extends Construct {
  /** Returns the stack's waiter, creating it on first use. */
  public static of(scope: IConstruct): TrainingWaiter {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(WAITER_ID);
    return (existing as TrainingWaiter | undefined) ?? new TrainingWaiter(stack, WAITER_ID);
  }

  public readonly stateMachine: sfn.StateMachine;
  public readonly poller: TrainingPollerFunction;

  private readonly policy: MergedPolicy;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    const pollerLogs = new logs.LogGroup(this, 'PollerLogs', { retention: logs.RetentionDays.ONE_MONTH });
    // An own role with only its log group, rather than the AWS managed basic execution policy.
    const pollerRole = new iam.Role(this, 'PollerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-personalize training poller',
    });
    pollerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [pollerLogs.logGroupArn],
    }));
    // Signals go to this stack's wait conditions only; DescribeStackResource tells whether the
    // training is still the one the stack waits for.
    pollerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudformation:SignalResource', 'cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'],
      resources: [stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${stack.stackName}/*` })],
    }));
    this.poller = new TrainingPollerFunction(this, 'Poller', {
      role: pollerRole,
      description: 'cdk-personalize: polls solution version training and signals its wait condition',
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
      // A training may take up to 11 hours; past 13 the stack gave up long ago.
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
        rule: wildcardArn('cloudformation', 'stack/[^/*]+/\\*'),
        reason: 'A stack ARN ends in an id CloudFormation assigns at create: stack/NAME/* is this stack and no other',
      },
      { rule: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray tracing and CloudWatch Logs delivery of a state machine can only be granted on *' },
      { rule: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>:\*\]$/, reason: 'Invoking a Lambda function includes its versions (ARN:*), as aws-cdk-lib grants it' },
      { rule: 'AwsSolutions-L1', reason: 'The poller is pinned to nodejs22.x, which its bundle targets and is tested on' },
      {
        rule: 'AwsSolutions-SF1',
        reason: 'The training poller logs errors only, without execution data, on purpose: ALL would log every poll of a 12-hour training',
      },
    ]);

    new events.Rule(this, 'ExecutionFailed', {
      description: 'cdk-personalize: end the training wait condition when the poller execution dies',
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
