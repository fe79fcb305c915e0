import {
  DescribeSolutionVersionCommand, PersonalizeClient, StopSolutionVersionCreationCommand,
} from '@aws-sdk/client-personalize';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { DatasetGroup, Recipe, Solution } from '../src';
import { TrainingPoller } from '../src/handlers/training-poller';

/**
 * The training poller's state machine, as synthesized, run locally with aws-local-stepfunctions;
 * its Lambda tasks call the real poller code with a mocked Personalize client and a clock that the
 * Wait state advances.
 */

const VERSION_ARN = 'arn:aws:personalize:us-east-1:123456789012:solution/s/0123abcd';
const POLL_SECONDS = 120;

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
  const { definition, taskStates, waitStates } = synthesizedDefinition();
  let now: number;
  let signals: Array<Record<string, unknown>>;
  let failSignals: number;

  beforeEach(() => {
    personalizeMock.reset();
    now = Date.UTC(2026, 0, 1);
    signals = [];
    failSignals = 0;
  });

  async function run(deadlineSeconds = 6 * 3600) {
    const poller = new TrainingPoller({
      personalize: new PersonalizeClient({ region: 'us-east-1', maxAttempts: 1 }),
      now: () => now,
      put: async (_url, body) => {
        if (failSignals > 0) {
          failSignals--;
          return { statusCode: 500, body: 'boom' };
        }
        signals.push(JSON.parse(body));
        return { statusCode: 200, body: '' };
      },
    });
    const handler = async (input: any) => {
      if (input.action === 'check') {
        // Every check follows a Wait of pollIntervalSeconds.
        now += Number(input.pollIntervalSeconds) * 1000;
      }
      return poller.handle(input);
    };
    const machine = new StateMachine(definition);
    const execution = machine.run({
      solutionVersionArn: VERSION_ARN,
      waitHandleUrl: 'https://example.com/wait?signature=1',
      deadline: now / 1000 + deadlineSeconds,
      trainingTimeoutSeconds: deadlineSeconds,
      pollIntervalSeconds: POLL_SECONDS,
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

  test('polls every 2 minutes until ACTIVE, then signals SUCCESS', async () => {
    trainsFor(44, { status: 'ACTIVE' });
    await run();

    // 45 checks over 90 minutes: 30 calls per training hour.
    expect(personalizeMock.commandCalls(DescribeSolutionVersionCommand)).toHaveLength(45);
    expect(signals).toEqual([expect.objectContaining({ Status: 'SUCCESS', UniqueId: '0123abcd' })]);
  });

  test('signals FAILURE with Personalize\'s reason when training fails', async () => {
    trainsFor(3, { status: 'CREATE FAILED', failureReason: 'Insufficient data: need 1000 interactions' });
    await run();

    expect(signals).toEqual([expect.objectContaining({ Status: 'FAILURE', Reason: expect.stringContaining('Insufficient data: need 1000 interactions') })]);
  });

  test('stops a training that outlasts its timeout and signals FAILURE', async () => {
    trainsFor(1000, { status: 'ACTIVE' });
    personalizeMock.on(StopSolutionVersionCreationCommand).resolves({});
    await run(3600);

    expect(personalizeMock.commandCalls(StopSolutionVersionCreationCommand)).toHaveLength(1);
    expect(personalizeMock.commandCalls(DescribeSolutionVersionCommand).length).toBeLessThanOrEqual(31);
    expect(signals).toEqual([expect.objectContaining({ Status: 'FAILURE', Reason: expect.stringMatching(/did not finish within the trainingTimeout of 1h.*stopped/) })]);
  });

  test('a signal that fails is retried', async () => {
    trainsFor(0, { status: 'ACTIVE' });
    failSignals = 2;
    await run();

    expect(signals).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  });

  test('when polling keeps failing, the machine signals FAILURE and stops the training instead of hanging', async () => {
    personalizeMock.on(DescribeSolutionVersionCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ solutionVersion: { solutionVersionArn: VERSION_ARN, status: 'CREATE IN_PROGRESS' } });
    personalizeMock.on(StopSolutionVersionCreationCommand).resolves({});

    await expect(run()).rejects.toThrow();

    expect(signals).toEqual([expect.objectContaining({ Status: 'FAILURE', Reason: expect.stringContaining('training poller failed') })]);
    expect(personalizeMock.commandCalls(StopSolutionVersionCreationCommand)).toHaveLength(1);
  });
});
