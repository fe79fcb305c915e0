import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import { TrainingPollerFunction } from '../handlers/training-poller-function';

const WAITER_ID = 'CdkPersonalizeTrainingWaiter';

/** Longest a WaitCondition can wait: 12 hours. */
export const MAX_WAIT_SECONDS = 43_200;

/** The input members every task of the poller passes on. */
const INPUT_MEMBERS = ['solutionVersionArn', 'waitHandleUrl', 'deadline', 'trainingTimeoutSeconds', 'pollIntervalSeconds'];

/**
 * Waits for trainings that outlast CloudFormation's one-hour custom resource limit.
 *
 * One per stack: a state machine that polls DescribeSolutionVersion and signals the training's
 * WaitCondition with SUCCESS, or FAILURE with Personalize's reason. Any failure of the machine
 * itself still signals FAILURE, from a Catch or, if the execution dies, from an EventBridge rule,
 * so a stack never waits the full 12 hours for nothing.
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

  private constructor(scope: Construct, id: string) {
    super(scope, id);

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
    this.poller = new TrainingPollerFunction(this, 'Poller', {
      role: pollerRole,
      description: 'cdk-personalize: polls solution version training and signals its wait condition',
      timeout: Duration.minutes(1),
      memorySize: 256,
      logGroup: pollerLogs,
    });

    const invoke = (stateId: string, action: string, extra: Record<string, string>, resultPath: string) => new tasks.LambdaInvoke(this, stateId, {
      lambdaFunction: this.poller,
      payload: sfn.TaskInput.fromObject({
        action,
        ...Object.fromEntries(INPUT_MEMBERS.map(m => [m, sfn.JsonPath.stringAt(`$.${m}`)])),
        ...Object.fromEntries(Object.entries(extra).map(([k, path]) => [k, sfn.JsonPath.stringAt(path)])),
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      resultPath,
    });
    const retry: sfn.RetryProps = { errors: ['States.ALL'], interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 5 };

    const signalError = invoke('SignalPollerFailure', 'signal-error', { error: '$.error' }, sfn.JsonPath.DISCARD);
    signalError.addRetry(retry);
    const failed = new sfn.Fail(this, 'PollerFailed', { error: 'TrainingPollerFailed', causePath: '$.error.Cause' });
    signalError.next(failed);

    const wait = new sfn.Wait(this, 'WaitBeforeCheck', { time: sfn.WaitTime.secondsPath('$.pollIntervalSeconds') });
    const check = invoke('CheckTraining', 'check', {}, '$.check');
    check.addRetry(retry);
    check.addCatch(signalError, { resultPath: '$.error' });

    const signal = invoke('SignalOutcome', 'signal', { outcome: '$.check.outcome', status: '$.check.status', reason: '$.check.reason' }, sfn.JsonPath.DISCARD);
    signal.addRetry(retry);
    signal.addCatch(signalError, { resultPath: '$.error' });

    const done = new sfn.Succeed(this, 'Signalled');
    const definition = wait.next(check).next(new sfn.Choice(this, 'TrainingFinished')
      .when(sfn.Condition.stringEquals('$.check.outcome', 'WAIT'), wait)
      .otherwise(signal.next(done)));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      // A training may take up to 12 hours; the margin covers the last poll and the signal.
      timeout: Duration.seconds(MAX_WAIT_SECONDS).plus(Duration.hours(1)),
      logs: {
        destination: new logs.LogGroup(this, 'StateMachineLogs', { retention: logs.RetentionDays.ONE_MONTH }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
      tracingEnabled: true,
    });

    new events.Rule(this, 'ExecutionFailed', {
      description: 'cdk-personalize: fail the training wait condition when the poller execution dies',
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
    this.poller.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
  }
}
