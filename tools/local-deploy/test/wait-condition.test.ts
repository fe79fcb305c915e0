import * as path from 'path';
import { CfnOutput, CfnWaitCondition, CfnWaitConditionHandle, CustomResource, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cr from 'aws-cdk-lib/custom-resources';
import { LocalCloudFormation } from '..';
import { collector, FakeClock, FIXTURES, synth, trail } from './helpers';

const STACK = 'TrainingStack';
const HOUR = 3_600_000;

type Outcome = 'SUCCESS' | 'FAILURE' | 'CRASH';

/**
 * A custom resource starts a state machine (check → wait 2 h → signal) through the Step Functions
 * API and returns; a WaitCondition waits for the signal.
 */
function trainingApp(outcome: Outcome, timeoutSeconds: number): string {
  return synth(STACK, stack => {
    const runtime = lambda.Runtime.NODEJS_22_X;
    const code = lambda.Code.fromAsset(path.join(FIXTURES, 'training'));
    const check = new lambda.Function(stack, 'Check', { runtime, code, handler: 'check.handler' });
    const signal = new lambda.Function(stack, 'Signal', { runtime, code, handler: 'signal.handler' });
    const definition = new tasks.LambdaInvoke(stack, 'CheckData', { lambdaFunction: check, payloadResponseOnly: true })
      .next(new sfn.Wait(stack, 'Train', { time: sfn.WaitTime.duration(Duration.hours(2)) }))
      .next(new tasks.LambdaInvoke(stack, 'SignalResult', { lambdaFunction: signal, outputPath: '$.Payload' }));
    const machine = new sfn.StateMachine(stack, 'Trainer', { definitionBody: sfn.DefinitionBody.fromChainable(definition) });
    const start = new lambda.Function(stack, 'Start', {
      runtime, code, handler: 'start.handler', environment: { STATE_MACHINE_ARN: machine.stateMachineArn },
    });
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: start });
    const handle = new CfnWaitConditionHandle(stack, 'TrainingHandle');
    const training = new CustomResource(stack, 'Training', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::Training',
      properties: { HandleUrl: handle.ref, Outcome: outcome },
    });
    const wait = new CfnWaitCondition(stack, 'TrainingWaitCondition', { handle: handle.ref, timeout: String(timeoutSeconds) });
    wait.node.addDependency(training);
    new CfnOutput(stack, 'TrainingData', { value: Token.asString(wait.attrData) });
  });
}

async function deploy(outcome: Outcome, timeoutSeconds: number) {
  const clock = new FakeClock();
  const out = collector();
  const cfn = new LocalCloudFormation({ clock, log: out.log });
  try {
    const result = await cfn.deploy(trainingApp(outcome, timeoutSeconds));
    return { result, clock, lines: out.lines, executions: cfn.executions(), invocations: [...cfn.invocations] };
  } finally {
    await cfn.close();
  }
}

describe('WaitCondition signalled by a state machine', () => {
  test('the 2 hour Wait state passes in simulated time and the signal completes the WaitCondition', async () => {
    const started = Date.now();
    const { result, clock, lines, executions } = await deploy('SUCCESS', 3 * 3600);

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(JSON.parse(result.outputs.TrainingData)).toEqual({ training: JSON.stringify({ score: 0.93 }) });
    expect(clock.total).toBe(2 * HOUR);
    expect(Date.now() - started).toBeLessThan(20_000);

    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ status: 'SUCCEEDED' });
    // The URL depends only on the stack and the handle's logical id (the least forgiving reading of CloudFormation).
    expect(JSON.parse(executions[0].input).handleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wait\/arn%3Aaws%3Acloudformation%3A[^/]+TrainingStack[^/]+\/TrainingHandle\?/);
    const machine = result.events.find(e => e.resourceStatus === 'EXECUTION_STARTED')!.logicalResourceId;
    expect(trail(result.events, e => e.resourceStatus.startsWith('EXECUTION_'))).toEqual([
      `${machine} EXECUTION_STARTED`,
      `${machine} EXECUTION_SUCCEEDED`,
    ]);
    expect(lines).toContain(`${STACK} | waiting for TrainingWaitCondition ... 2h0m simulated`);
  });

  test('a FAILURE signal fails the WaitCondition with its reason and rolls back', async () => {
    const { result, invocations } = await deploy('FAILURE', 3 * 3600);

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const reason = "WaitCondition received failed message: 'training failed: bad data' for uniqueId: training";
    expect(result.failureReason).toBe(reason);
    expect(result.events).toContainEqual(expect.objectContaining({
      logicalResourceId: 'TrainingWaitCondition', resourceStatus: 'CREATE_FAILED', resourceStatusReason: reason,
    }));
    const deletes = invocations.filter(i => i.functionLogicalId.startsWith('Start') && (i.event as any).RequestType === 'Delete');
    expect(deletes).toHaveLength(1);
  });

  test('the WaitCondition times out in simulated time; the running execution is stopped on rollback', async () => {
    const { result, clock, executions } = await deploy('SUCCESS', 3600);

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failureReason).toBe('WaitCondition timed out. Received 0 conditions when expecting 1');
    expect(clock.total).toBe(HOUR);
    expect(executions[0].status).toBe('ABORTED');
    expect(trail(result.events).some(s => s.endsWith('EXECUTION_ABORTED'))).toBe(true);
  });

  test('a failed execution is recorded with its error', async () => {
    const { result, clock } = await deploy('CRASH', 3 * 3600);

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(clock.total).toBe(3 * HOUR);
    const failed = result.events.find(e => e.resourceStatus === 'EXECUTION_FAILED');
    expect(failed?.resourceStatusReason).toMatch(/^execution local-\d+: Error trainer crashed$/);
    expect(failed?.constructPath).toBe('Trainer/Resource');
  });
});

