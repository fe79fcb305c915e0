import * as path from 'path';
import { CfnOutput, CfnResource, CustomResource, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { CREATE_FAILED_MARKER, LocalCloudFormation } from '..';
import { collector, FakeClock, FIXTURES, synth, trail } from './helpers';

const STACK = 'ProviderStack';

/** isComplete reports completion on the Polls-th call for a request (deletes complete at once). */
const IS_COMPLETE_SOURCE = `
const calls = {};
exports.handler = async (event) => {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  calls[event.RequestId] = (calls[event.RequestId] || 0) + 1;
  const needed = Number(event.ResourceProperties.Polls || '1');
  return calls[event.RequestId] < needed ? { IsComplete: false } : { IsComplete: true, Data: { Polls: String(calls[event.RequestId]) } };
};`;

/** A plain (non-framework) custom resource answering through cfn-response. */
const PLAIN_SOURCE = `
const response = require('cfn-response');
exports.handler = (event, context) => {
  const id = event.PhysicalResourceId || 'plain-' + event.ResourceProperties.Tag;
  response.send(event, context, response.SUCCESS, { Echo: event.ResourceProperties.Tag }, id);
};`;

interface Thing {
  readonly name: string;
  readonly size?: number;
  readonly failOn?: string;
  readonly polls?: number;
  /** Logical id of a thing whose Upper attribute becomes this one's Parent property. */
  readonly parent?: string;
}

function providerApp(things: Record<string, Thing>, plainTag = 'one'): string {
  return synth(STACK, stack => {
    const runtime = lambda.Runtime.NODEJS_22_X;
    const onEvent = new lambda.Function(stack, 'OnEvent', { runtime, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(FIXTURES, 'crud')) });
    const isComplete = new lambda.Function(stack, 'IsComplete', { runtime, handler: 'index.handler', code: lambda.Code.fromInline(IS_COMPLETE_SOURCE) });
    const provider = new cr.Provider(stack, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.minutes(10),
    });
    const created: Record<string, CustomResource> = {};
    for (const [id, thing] of Object.entries(things)) {
      created[id] = new CustomResource(stack, id, {
        serviceToken: provider.serviceToken,
        resourceType: 'Custom::Thing',
        properties: {
          Name: thing.name,
          Size: thing.size ?? 1,
          FailOn: thing.failOn,
          Polls: thing.polls,
          Parent: thing.parent ? created[thing.parent].getAttString('Upper') : undefined,
        },
      });
      new CfnOutput(stack, `${id}Upper`, { value: created[id].getAttString('Upper') });
    }
    const plainFn = new lambda.Function(stack, 'PlainFn', { runtime, handler: 'index.handler', code: lambda.Code.fromInline(PLAIN_SOURCE) });
    const plain = new CfnResource(stack, 'Plain', { type: 'Custom::Plain', properties: { ServiceToken: plainFn.functionArn, Tag: plainTag } });
    new CfnOutput(stack, 'PlainEcho', { value: plain.getAtt('Echo').toString() });
  });
}

/** User onEvent calls as `RequestType PhysicalResourceId`, in order. */
function onEventCalls(cfn: LocalCloudFormation, from = 0): string[] {
  return cfn.invocations.slice(from)
    .filter(i => i.functionLogicalId.startsWith('OnEvent'))
    .map(i => {
      const e = i.event as Record<string, any>;
      return `${e.RequestType} ${e.LogicalResourceId} ${e.PhysicalResourceId ?? '-'}`;
    });
}

describe('Provider framework custom resources', () => {
  const clock = new FakeClock();
  const out = collector();
  const cfn = new LocalCloudFormation({ clock, log: out.log });
  afterAll(() => cfn.close());

  test('create: dependency order, isComplete polling in simulated time, outputs', async () => {
    const result = await cfn.deploy(providerApp({ Alpha: { name: 'alpha', polls: 3 }, Beta: { name: 'beta', parent: 'Alpha' } }));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.outputs).toEqual({ AlphaUpper: 'ALPHA', BetaUpper: 'BETA', PlainEcho: 'one' });
    const order = trail(result.events, e => e.resourceType.startsWith('Custom::'));
    expect(order.indexOf('Alpha CREATE_COMPLETE')).toBeLessThan(order.indexOf('Beta CREATE_IN_PROGRESS'));
    expect(cfn.physicalResources(STACK)).toMatchObject({ Alpha: 'thing-alpha', Beta: 'thing-beta', Plain: 'plain-one' });

    // CloudFormation passes scalars as strings; the framework passes the full request.
    const create = cfn.invocations.find(i => (i.event as any).LogicalResourceId === 'Alpha')!.event as Record<string, any>;
    expect(create).toMatchObject({ RequestType: 'Create', ResourceType: 'Custom::Thing', ResourceProperties: { Name: 'alpha', Size: '1', Polls: '3' } });
    expect(create.ResponseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cfn-response\//);

    // Three isComplete calls for Alpha: two 30 s query intervals of simulated time.
    const polls = cfn.invocations.filter(i => i.functionLogicalId.startsWith('IsComplete') && (i.event as any).LogicalResourceId === 'Alpha');
    expect(polls.map(p => (p.result as any).IsComplete)).toEqual([false, false, true]);
    expect(clock.advances).toEqual([30_000, 30_000]);

    expect(out.lines).toContain(`${STACK} | CREATE_IN_PROGRESS | Custom::Thing | Alpha/Default`);
    expect(out.lines).toContain('Outputs (simulated: local runner + Personalize simulator, not AWS):');
    expect(out.lines).toContain(`${STACK}.AlphaUpper = ALPHA   [simulated]`);
    expect(out.lines.find(l => l.startsWith('recorded (not simulated):'))).toMatch(/\d+ IAM, \d+ Lambda/);
  });

  test('redeploying the same assembly changes nothing', async () => {
    const result = await cfn.deploy(providerApp({ Alpha: { name: 'alpha', polls: 3 }, Beta: { name: 'beta', parent: 'Alpha' } }));
    expect(result.noChanges).toBe(true);
    expect(result.events).toEqual([]);
  });

  test('update in place sends OldResourceProperties and leaves unchanged resources alone', async () => {
    const from = cfn.invocations.length;
    const result = await cfn.deploy(providerApp({ Alpha: { name: 'alpha', size: 2, polls: 3 }, Beta: { name: 'beta', parent: 'Alpha' } }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(onEventCalls(cfn, from)).toEqual(['Update Alpha thing-alpha']);
    const update = cfn.invocations[from].event as Record<string, any>;
    expect(update.ResourceProperties.Size).toBe('2');
    expect(update.OldResourceProperties.Size).toBe('1');
    expect(trail(result.events)).toEqual(['Alpha UPDATE_IN_PROGRESS', 'Alpha UPDATE_COMPLETE']);
  });

  test('a new physical id is a replacement: dependents update, the old one is deleted during cleanup', async () => {
    const from = cfn.invocations.length;
    const result = await cfn.deploy(providerApp({ Alpha: { name: 'alpha2', size: 2, polls: 3 }, Beta: { name: 'beta', parent: 'Alpha' } }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(result.outputs.AlphaUpper).toBe('ALPHA2');
    expect(onEventCalls(cfn, from)).toEqual(['Update Alpha thing-alpha', 'Update Beta thing-beta', 'Delete Alpha thing-alpha']);
    const cleanup = result.events.findIndex(e => e.resourceStatus === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(trail(result.events.slice(cleanup))).toEqual(['Alpha DELETE_IN_PROGRESS', 'Alpha DELETE_COMPLETE']);
    expect(cfn.physicalResources(STACK).Alpha).toBe('thing-alpha2');
  });

  test('a failed update rolls back with the old properties and deletes what it created', async () => {
    const from = cfn.invocations.length;
    const result = await cfn.deploy(providerApp({
      Alpha: { name: 'alpha2', size: 3, polls: 3 },
      Beta: { name: 'beta', parent: 'Alpha' },
      Gamma: { name: 'gamma', parent: 'Alpha' },
      Delta: { name: 'delta', parent: 'Gamma', failOn: 'Create' },
    }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.failureReason).toBe('refusing to create delta');
    expect(onEventCalls(cfn, from)).toEqual([
      'Update Alpha thing-alpha2',
      'Create Gamma -',
      'Create Delta -',
      'Update Alpha thing-alpha2', // rollback: back to Size 2
      'Delete Gamma thing-gamma', // rollback cleanup; Delta's failed create is ignored by the framework
    ]);
    const rollback = cfn.invocations.slice(from).filter(i => i.functionLogicalId.startsWith('OnEvent'))[3].event as Record<string, any>;
    expect(rollback.ResourceProperties.Size).toBe('2');
    expect(rollback.OldResourceProperties.Size).toBe('3');
    expect(result.events.find(e => e.logicalResourceId === 'Delta' && e.resourceStatus === 'CREATE_FAILED')?.physicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(cfn.physicalResources(STACK)).not.toHaveProperty('Gamma');
    expect(cfn.describeStack(STACK)?.outputs.AlphaUpper).toBe('ALPHA2');
  });

  test('destroy deletes in reverse dependency order', async () => {
    const from = cfn.invocations.length;
    const result = await cfn.destroy(STACK);

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(onEventCalls(cfn, from)).toEqual(['Delete Beta thing-beta', 'Delete Alpha thing-alpha2']);
    const order = trail(result.events, e => e.resourceStatus === 'DELETE_COMPLETE').map(s => s.split(' ')[0]);
    expect(order.indexOf('Beta')).toBeLessThan(order.indexOf('Alpha'));
    expect(order.indexOf('Alpha')).toBeLessThan(order.findIndex(id => id.startsWith('ProviderframeworkonEvent')));
    expect(cfn.describeStack(STACK)).toBeUndefined();
  });
});

describe('failed create', () => {
  test('rolls back, calling Delete for what was created', async () => {
    const out = collector();
    const cfn = new LocalCloudFormation({ log: out.log });
    try {
      const result = await cfn.deploy(providerApp({ Alpha: { name: 'alpha' }, Beta: { name: 'beta', parent: 'Alpha', failOn: 'Create' } }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failureReason).toBe('refusing to create beta');
      expect(result.events).toContainEqual(expect.objectContaining({
        logicalResourceId: 'Beta', resourceStatus: 'CREATE_FAILED', resourceStatusReason: 'refusing to create beta',
      }));
      expect(onEventCalls(cfn)).toEqual(['Create Alpha -', 'Create Beta -', 'Delete Alpha thing-alpha']);
      expect(cfn.physicalResources(STACK)).toEqual({});
      expect(out.lines).toContain(`${STACK} | CREATE_FAILED | Custom::Thing | Beta/Default refusing to create beta`);
    } finally {
      await cfn.close();
    }
  });

  test('isComplete that never completes fails with the provider timeout, in simulated time', async () => {
    const clock = new FakeClock();
    const cfn = new LocalCloudFormation({ clock, log: () => {} });
    try {
      const result = await cfn.deploy(providerApp({ Alpha: { name: 'alpha', polls: 1000 } }));
      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failureReason).toBe('Operation timed out');
      // totalTimeout 10 min / queryInterval 30 s = 20 retries after the first call.
      expect(clock.advances.slice(0, 20)).toEqual(Array(20).fill(30_000));
    } finally {
      await cfn.close();
    }
  });
});
