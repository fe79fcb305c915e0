import { CloudFormationClient, DescribeStackResourceCommand, SignalResourceCommand } from '@aws-sdk/client-cloudformation';
import { CfnWaitCondition, CfnWaitConditionHandle } from 'aws-cdk-lib';
import { LocalCloudFormation } from '..';
import { collector, FakeClock, synth } from './helpers';
import { SimClock } from '../services/clock';
import { WaitConditionService } from '../services/wait-conditions';

/**
 * The runner's CloudFormation API (awsQuery, through the real SDK client) and its least forgiving
 * readings of what CloudFormation leaves open about signals.
 */

const STACK = 'SignalStack';
const MINUTE = 60_000;

function client(cfn: LocalCloudFormation): CloudFormationClient {
  return new CloudFormationClient({
    endpoint: cfn.endpoints.stepFunctions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

test('SignalResource is refused unless its resource is being created; DescribeStackResource reports status and physical id', async () => {
  const cfn = new LocalCloudFormation({ clock: new FakeClock(), log: collector().log });
  try {
    const deployed = await cfn.deploy(synth(STACK, stack => { new CfnWaitConditionHandle(stack, 'Handle'); }));
    expect(deployed.status).toBe('CREATE_COMPLETE');
    const api = client(cfn);
    const { stackId } = cfn.describeStack(STACK)!;

    const { StackResourceDetail: detail } = await api.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: 'Handle' }));
    expect(detail).toMatchObject({ StackId: stackId, LogicalResourceId: 'Handle', ResourceStatus: 'CREATE_COMPLETE', ResourceType: 'AWS::CloudFormation::WaitConditionHandle' });
    expect(detail!.PhysicalResourceId).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wait\//);

    await expect(api.send(new SignalResourceCommand({ StackName: stackId, LogicalResourceId: 'Handle', UniqueId: 'late', Status: 'SUCCESS' })))
      .rejects.toMatchObject({ name: 'ValidationError', message: `Stack ${STACK} is in CREATE_COMPLETE state and cannot be signaled` });
    // A stack no operation runs on refuses every signal, before it looks at the resource.
    await expect(api.send(new SignalResourceCommand({ StackName: stackId, LogicalResourceId: 'Missing', UniqueId: 'x', Status: 'SUCCESS' })))
      .rejects.toMatchObject({ name: 'ValidationError', message: `Stack ${STACK} is in CREATE_COMPLETE state and cannot be signaled` });
    await expect(api.send(new DescribeStackResourceCommand({ StackName: 'Other', LogicalResourceId: 'Handle' })))
      .rejects.toMatchObject({ name: 'ValidationError', message: 'Stack with id Other does not exist' });
    expect(cfn.resourceSignals.map(s => [s.logicalId, s.accepted])).toEqual([['Handle', false], ['Missing', false]]);
  } finally {
    await cfn.close();
  }
});

test('a WaitCondition with a CreationPolicy that nobody signals fails after its Timeout, in simulated time', async () => {
  const clock = new FakeClock();
  const cfn = new LocalCloudFormation({ clock, log: collector().log });
  try {
    const deployed = await cfn.deploy(synth(STACK, stack => {
      const wait = new CfnWaitCondition(stack, 'Wait', {});
      wait.cfnOptions.creationPolicy = { resourceSignal: { count: 1, timeout: 'PT30M' } };
    }));
    expect(deployed.status).toBe('ROLLBACK_COMPLETE');
    expect(deployed.failureReason).toBe('Failed to receive 1 resource signal(s) within the specified duration');
    expect(clock.total).toBe(30 * MINUTE);
  } finally {
    await cfn.close();
  }
});

test('a WaitCondition with both a CreationPolicy and properties is refused', async () => {
  const cfn = new LocalCloudFormation({ clock: new FakeClock(), log: collector().log });
  try {
    const deployed = await cfn.deploy(synth(STACK, stack => {
      const handle = new CfnWaitConditionHandle(stack, 'Handle');
      const wait = new CfnWaitCondition(stack, 'Wait', { handle: handle.ref, timeout: '60' });
      wait.cfnOptions.creationPolicy = { resourceSignal: { count: 1, timeout: 'PT1M' } };
    }));
    expect(deployed.failureReason).toBe('A WaitCondition with a CreationPolicy takes no properties (got Handle, Timeout)');
  } finally {
    await cfn.close();
  }
});

test('a handle keeps its URL and its signals for the same logical id, even after it was deleted', () => {
  const waits = new WaitConditionService(new SimClock(undefined));
  const url = waits.createHandle('http://127.0.0.1:1', 'arn:aws:cloudformation:us-east-1:1:stack/S/1', 'Handle');
  waits.signal(new URL(url).pathname, JSON.stringify({ Status: 'FAILURE', Reason: 'old', UniqueId: 'a', Data: '' }));
  waits.deleteHandle(url);

  const again = waits.createHandle('http://127.0.0.1:1', 'arn:aws:cloudformation:us-east-1:1:stack/S/1', 'Handle');

  expect(again).toBe(url);
  expect(waits.signals(again)).toEqual([{ status: 'FAILURE', reason: 'old', uniqueId: 'a', data: '' }]);
  expect(waits.createHandle('http://127.0.0.1:1', 'arn:aws:cloudformation:us-east-1:1:stack/S/2', 'Handle')).not.toBe(url);
});
