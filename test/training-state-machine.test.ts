import { CloudFormationClient, DescribeStacksCommand, DescribeStackResourceCommand, SignalResourceCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeSolutionVersionCommand, PersonalizeClient, StopSolutionVersionCreationCommand,
} from '@aws-sdk/client-personalize';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { DatasetGroup, Recipe, Solution } from '../src';
import { JobPoller } from '../src/handlers/poller/job-poller';

/**
 * The training poller's state machine, as synthesized, run locally with aws-local-stepfunctions;
 * its Lambda tasks call the real poller code with mocked Personalize and CloudFormation clients and a
 * clock that the Wait state advances.
 */

const VERSION_ARN = 'arn:aws:personalize:us-east-1:123456789012:solution/s/0123abcd';
/** A first training is checked every 3 minutes. */
const FIRST_TRAINING_POLL_SECONDS = 180;
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Machine/0a1b2c3d-0000-4000-8000-000000000000';

function synthesizedDefinition(): { definition: any; taskStates: string[]; waitStates: string[] } {
  const stack = new Stack(new App(), 'Machine');
  const datasetGroup = DatasetGroup.fromDatasetGroupArn(stack, 'G', 'arn:aws:personalize:us-east-1:123456789012:dataset-group/g');
  new Solution(stack, 'S', { datasetGroup, recipe: Recipe.SIMS }).addVersion('V');
  const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  const [poller] = Object.entries<any>(machines).filter(([id]) => id.includes('TrainingWaiter')).map(([, r]) => r);
  // Fn::Join of strings and the Lambda's Fn::GetAtt: substitute a local ARN for the function.
  const parts: unknown[] = poller.Properties.DefinitionString['Fn::Join'][1];
  const text = parts.map(p => typeof p === 'string' ? p : 'arn:aws:lambda:us-east-1:123456789012:function:poller').join('');
  const definition = JSON.parse(text);
  const states = Object.entries<any>(definition.States);
  return {
    definition,
    taskStates: states.filter(([, s]) => s.Type === 'Task').map(([name]) => name),
    waitStates: states.filter(([, s]) => s.Type === 'Wait').map(([name]) => name),
  };
}

describe('training poller state machine', () => {
  const personalizeMock = mockClient(PersonalizeClient);
  const cloudFormationMock = mockClient(CloudFormationClient);
  const { definition, taskStates, waitStates } = synthesizedDefinition();
  let now: number;
  /** Logical id → [physical id, status] that DescribeStackResource reports. */
  let stack: Record<string, [string, string]>;

  beforeEach(() => {
    personalizeMock.reset();
    cloudFormationMock.reset();
    now = Date.UTC(2026, 0, 1);
    stack = { Version: [VERSION_ARN, 'CREATE_COMPLETE'], Wait: [`${STACK_ID}/Wait`, 'CREATE_IN_PROGRESS'] };
    cloudFormationMock.on(DescribeStackResourceCommand).callsFake((input: { LogicalResourceId: string }) => {
      const found = stack[input.LogicalResourceId];
      if (!found) {
        throw Object.assign(new Error(`Resource ${input.LogicalResourceId} does not exist for stack Machine`), { name: 'ValidationError' });
      }
      return { StackResourceDetail: { LogicalResourceId: input.LogicalResourceId, PhysicalResourceId: found[0], ResourceStatus: found[1], ResourceType: 'x', LastUpdatedTimestamp: new Date(now) } };
    });
    cloudFormationMock.on(SignalResourceCommand).resolves({});
    cloudFormationMock.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'Machine', StackStatus: 'CREATE_IN_PROGRESS', CreationTime: new Date(now) }] });
  });

  async function run(deadlineSeconds = 6 * 3600) {
    const poller = new JobPoller({
      personalize: new PersonalizeClient({ region: 'us-east-1', maxAttempts: 1 }),
      cloudFormation: new CloudFormationClient({ region: 'us-east-1', maxAttempts: 1 }),
      now: () => now,
    });
    // Every check follows a Wait of the last successful check's waitSeconds (the input's at first).
    let waitSeconds = FIRST_TRAINING_POLL_SECONDS;
    const handler = async (input: any): Promise<any> => {
      if (input.action !== 'check') {
        return poller.handle(input);
      }
      now += waitSeconds * 1000;
      const result = await poller.handle(input) as { waitSeconds: number };
      waitSeconds = result.waitSeconds;
      return result;
    };
    const machine = new StateMachine(definition);
    const execution = machine.run({
      kind: 'training',
      jobArn: VERSION_ARN,
      stackId: STACK_ID,
      jobLogicalId: 'Version',
      waitLogicalId: 'Wait',
      deadline: now / 1000 + deadlineSeconds,
      timeoutSeconds: deadlineSeconds,
      expectedSeconds: 0,
      check: { outcome: 'WAIT', status: '', reason: '', waitSeconds: FIRST_TRAINING_POLL_SECONDS },
    }, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(taskStates.map(name => [name, handler])),
        waitTimeOverrides: Object.fromEntries(waitStates.map(name => [name, 0])),
        retryIntervalOverrides: Object.fromEntries(taskStates.map(name => [name, 0])),
      },
    });
    return execution.result;
  }

  function trainsFor(polls: number, final: Record<string, unknown>) {
    const inProgress = { solutionVersion: { solutionVersionArn: VERSION_ARN, status: 'CREATE IN_PROGRESS' } };
    const describe = personalizeMock.on(DescribeSolutionVersionCommand);
    for (let i = 0; i < polls; i++) {
      describe.resolvesOnce(inProgress);
    }
    describe.resolves({ solutionVersion: { solutionVersionArn: VERSION_ARN, ...final } });
  }

  const signals = () => cloudFormationMock.commandCalls(SignalResourceCommand).map(c => c.args[0].input);
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

  test('polls a first training every 3 minutes until ACTIVE, then signals SUCCESS to the wait condition', async () => {
    trainsFor(29, { status: 'ACTIVE' });
    await run();

    // 30 checks over 90 minutes: 20 calls per training hour.
    expect(personalizeMock.commandCalls(DescribeSolutionVersionCommand)).toHaveLength(30);
    expect(now - Date.UTC(2026, 0, 1)).toBe(90 * 60_000);
    expect(signals()).toEqual([{ StackName: STACK_ID, LogicalResourceId: 'Wait', UniqueId: '0123abcd', Status: 'SUCCESS' }]);
  });

  test('a failed training ends the wait too (the result resource reports Personalize\'s reason)', async () => {
    trainsFor(3, { status: 'CREATE FAILED', failureReason: 'Insufficient data: need 1000 interactions' });
    await run();

    expect(signals()).toEqual([expect.objectContaining({ Status: 'SUCCESS', LogicalResourceId: 'Wait' })]);
  });

  test('stops a training that outlasts its timeout, then ends the wait', async () => {
    trainsFor(1000, { status: 'ACTIVE' });
    personalizeMock.on(StopSolutionVersionCreationCommand).resolves({});
    await run(3600);

    expect(personalizeMock.commandCalls(StopSolutionVersionCreationCommand)).toHaveLength(1);
    expect(personalizeMock.commandCalls(DescribeSolutionVersionCommand).length).toBeLessThanOrEqual(21);
    expect(signals()).toHaveLength(1);
  });

  test('a refused or throttled signal is tried again', async () => {
    trainsFor(0, { status: 'ACTIVE' });
    cloudFormationMock.on(SignalResourceCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({});
    await run();

    expect(signals()).toHaveLength(5);
  });

  test('transient errors never stop a healthy training: 30 minutes of throttled polls, then polling resumes', async () => {
    const describe = personalizeMock.on(DescribeSolutionVersionCommand);
    // Every attempt fails for the first 30 minutes (15 poll rounds of 1 + 3 retries each).
    for (let i = 0; i < 15 * 4; i++) describe.rejectsOnce(throttled());
    for (let i = 0; i < 10; i++) describe.resolvesOnce({ solutionVersion: { solutionVersionArn: VERSION_ARN, status: 'CREATE IN_PROGRESS' } });
    describe.resolves({ solutionVersion: { solutionVersionArn: VERSION_ARN, status: 'ACTIVE' } });

    await run();

    expect(personalizeMock.commandCalls(StopSolutionVersionCreationCommand)).toHaveLength(0);
    expect(signals()).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  });

  test('waits until the wait condition is being created before signalling', async () => {
    trainsFor(0, { status: 'ACTIVE' });
    delete stack.Wait;
    let rounds = 0;
    cloudFormationMock.on(DescribeStackResourceCommand, { LogicalResourceId: 'Wait' }).callsFake(() => {
      if (++rounds < 3) throw Object.assign(new Error('Resource Wait does not exist for stack Machine'), { name: 'ValidationError' });
      return { StackResourceDetail: { LogicalResourceId: 'Wait', ResourceStatus: 'CREATE_IN_PROGRESS', ResourceType: 'x', LastUpdatedTimestamp: new Date(now) } };
    });
    await run();

    expect(rounds).toBe(3);
    expect(signals()).toHaveLength(1);
  });

  test('a training the stack no longer waits for ends the execution without a signal', async () => {
    trainsFor(2, { status: 'CREATE STOPPED' });
    stack.Version = ['arn:aws:personalize:us-east-1:123456789012:solution/s/ffff0000', 'UPDATE_COMPLETE'];
    await run();

    expect(signals()).toEqual([]);
  });
});
