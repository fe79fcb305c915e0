import * as http from 'http';
import type { AddressInfo } from 'net';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { LocalCloudFormation } from '..';
import { collector, FakeClock, trail, writeAssembly } from './helpers';

const CDK_METADATA_CONDITION = {
  'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'af-south-1'] }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }],
};

/** A template using parameters, pseudo parameters, conditions, mappings and CDK's extras. */
function basicTemplate(extraResources: object = {}, extraOutputs: object = {}) {
  return {
    Parameters: {
      Env: { Type: 'String', Default: 'dev' },
      BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
    },
    Mappings: { Sizes: { dev: { Count: '2' }, prod: { Count: '9' } } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, CDKMetadataAvailable: CDK_METADATA_CONDITION },
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket' },
      ProdOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsProd' },
      Param: {
        Type: 'AWS::SSM::Parameter',
        Properties: { Type: 'String', Value: { 'Fn::Sub': '${Bucket.Arn}|${AWS::Region}|${AWS::AccountId}|${AWS::Partition}|${AWS::URLSuffix}' } },
      },
      Kept: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: 'kept' } },
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:x' }, Condition: 'CDKMetadataAvailable' },
      ...extraResources,
    },
    Outputs: {
      Value: { Value: { 'Fn::GetAtt': ['Param', 'Value'] } },
      Count: { Value: { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Count'] } },
      Queue: { Value: { 'Fn::If': ['IsProd', { Ref: 'ProdOnly' }, 'none'] } },
      Stack: { Value: { Ref: 'AWS::StackName' } },
      ...extraOutputs,
    },
    Rules: { CheckBootstrapVersion: { Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1'], { Ref: 'BootstrapVersion' }] }] } }] } },
  };
}

describe('templates', () => {
  const out = collector();
  const cfn = new LocalCloudFormation({ region: 'eu-west-1', accountId: '111122223333', log: out.log });
  afterAll(() => cfn.close());

  test('parameters, pseudo parameters, conditions and mappings; CDK metadata and rules are skipped', async () => {
    const result = await cfn.deploy(writeAssembly('Basic', basicTemplate()));

    expect(result.status).toBe('CREATE_COMPLETE');
    const bucket = cfn.physicalResources('Basic').Bucket;
    expect(bucket).toMatch(/^basic-bucket-[0-9a-f]{12}$/);
    expect(result.outputs).toEqual({
      Value: `arn:aws:s3:::${bucket}|eu-west-1|111122223333|aws|amazonaws.com`,
      Count: '2',
      Queue: 'none',
      Stack: 'Basic',
    });
    expect(Object.keys(cfn.physicalResources('Basic')).sort()).toEqual(['Bucket', 'Kept', 'Param']);
    expect(out.lines).toContain('recorded (not simulated): 1 Logs, 1 S3, 1 SSM');
  });

  test('a parameter change creates the conditional resource', async () => {
    const result = await cfn.deploy(writeAssembly('Basic', basicTemplate()), undefined, { parameters: { Env: 'prod' } });

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(trail(result.events)).toEqual(['ProdOnly CREATE_IN_PROGRESS', 'ProdOnly CREATE_COMPLETE']);
    expect(result.outputs.Queue).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/Basic-ProdOnly-' + cfn.physicalResources('Basic').ProdOnly.split('-').pop());
    expect(result.outputs.Count).toBe('9');
  });

  test('unknown attribute in an output rolls the update back', async () => {
    const result = await cfn.deploy(writeAssembly('Basic', basicTemplate({}, { Bad: { Value: { 'Fn::GetAtt': ['Bucket', 'Nope'] } } })));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.failureReason).toBe('Template error: resource Bucket does not support attribute type Nope in Fn::GetAtt');
    // Env fell back to its default, which drops the queue from the template; removals happen in the
    // cleanup phase, which a failed update never reaches, so the queue is still there.
    expect(cfn.physicalResources('Basic')).toHaveProperty('ProdOnly');
  });

  test('destroy honours DeletionPolicy Retain', async () => {
    const result = await cfn.destroy('Basic');

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(trail(result.events, e => e.logicalResourceId === 'Kept')).toEqual(['Kept DELETE_SKIPPED']);
  });

  test('an unsupported resource type fails naming the type', async () => {
    const result = await cfn.deploy(writeAssembly('Types', basicTemplate({ Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } })));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failureReason).toBe('Resource type AWS::EC2::VPC is not supported by the local runner (Vpc)');
  });

  test('an unsupported intrinsic fails naming the function and the logical id', async () => {
    const result = await cfn.deploy(writeAssembly('Import', basicTemplate({
      Imported: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::ImportValue': 'Shared' } } },
    })));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failureReason).toBe('Unsupported intrinsic function Fn::ImportValue in Imported');
    expect(result.events).toContainEqual(expect.objectContaining({ logicalResourceId: 'Imported', resourceStatus: 'CREATE_FAILED' }));
  });

  test('a dependency cycle is rejected before anything is deployed', async () => {
    const template = basicTemplate({
      A: { Type: 'AWS::SNS::Topic', DependsOn: 'B' },
      B: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::GetAtt': ['A', 'TopicName'] } } },
    });
    await expect(cfn.deploy(writeAssembly('Cycle', template))).rejects.toThrow('Circular dependency between resources: [A, B]');
    expect(cfn.describeStack('Cycle')).toBeUndefined();
  });
});

/** Fails twice, then answers; the state machine retries it and waits SecondsPath seconds. */
const FLAKY_SOURCE = `
let calls = 0;
exports.handler = async (input) => {
  calls++;
  if (calls <= 2) throw new Error('flaky ' + calls);
  return { ...input, calls };
};`;

function stepFunctionsTemplate() {
  const definition = {
    StartAt: 'Flaky',
    States: {
      Flaky: {
        Type: 'Task',
        Resource: '__FN__',
        Next: 'Pause',
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 3 }],
      },
      Pause: { Type: 'Wait', SecondsPath: '$.delay', Next: 'Done' },
      Done: { Type: 'Pass', End: true },
    },
  };
  const [before, after] = JSON.stringify(definition).split('__FN__');
  return {
    Resources: {
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
      Flaky: {
        Type: 'AWS::Lambda::Function',
        Properties: { Code: { ZipFile: FLAKY_SOURCE }, Handler: 'index.handler', Runtime: 'nodejs22.x', Role: { 'Fn::GetAtt': ['Role', 'Arn'] } },
      },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionString: { 'Fn::Join': ['', [before, { 'Fn::GetAtt': ['Flaky', 'Arn'] }, after]] }, RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } },
      },
    },
    Outputs: { MachineArn: { Value: { Ref: 'Machine' } } },
  };
}

describe('Step Functions API', () => {
  test('executions run in simulated time, with Retry intervals and SecondsPath waits', async () => {
    const clock = new FakeClock();
    const cfn = new LocalCloudFormation({ clock, log: () => {} });
    try {
      const { outputs } = await cfn.deploy(writeAssembly('Machines', stepFunctionsTemplate()));
      const sfn = new SFNClient({ endpoint: cfn.endpoints.stepFunctions, region: 'us-east-1' });

      await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:x:y' })))
        .rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });

      const start = new StartExecutionCommand({ stateMachineArn: outputs.MachineArn, input: JSON.stringify({ delay: 300 }) });
      const { executionArn } = await sfn.send(start);
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

      await cfn.advance(3_600_000);
      const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toEqual({ delay: 300, calls: 3 });
      expect(clock.advances.slice(0, 3)).toEqual([60_000, 120_000, 300_000]);
      sfn.destroy();
    } finally {
      await cfn.close();
    }
  });

  test.each([['a fraction', 2.5], ['a string', '300'], ['missing', undefined]])(
    'a Wait whose SecondsPath holds %s fails the execution with States.Runtime, as Step Functions does',
    async (_case, delay) => {
      const cfn = new LocalCloudFormation({ clock: new FakeClock(), log: () => {} });
      try {
        const { outputs } = await cfn.deploy(writeAssembly('BadWait', stepFunctionsTemplate()));
        const sfn = new SFNClient({ endpoint: cfn.endpoints.stepFunctions, region: 'us-east-1' });
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: outputs.MachineArn, input: JSON.stringify({ delay }) }));
        await cfn.advance(3_600_000);
        const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        expect(done.status).toBe('FAILED');
        expect(done.error).toBe('States.Runtime');
        sfn.destroy();
      } finally {
        await cfn.close();
      }
    });
});

/** Just enough of Personalize (awsJson1_1) for a dataset group that turns ACTIVE after 30 s of simulated time. */
function fakePersonalize(clock: FakeClock): Promise<http.Server> {
  const groups = new Map<string, { createdAt: number }>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => body += c);
    req.on('end', () => {
      const input = JSON.parse(body || '{}');
      const op = String(req.headers['x-amz-target']).split('.')[1];
      const reply = (status: number, payload: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      const arn = `arn:aws:personalize:us-east-1:123456789012:dataset-group/${input.name}`;
      if (op === 'CreateDatasetGroup') {
        groups.set(arn, { createdAt: clock.now() });
        return reply(200, { datasetGroupArn: arn });
      }
      const group = groups.get(input.datasetGroupArn);
      if (!group) return reply(400, { __type: 'ResourceNotFoundException', message: 'not found' });
      if (op === 'DeleteDatasetGroup') {
        groups.delete(input.datasetGroupArn);
        return reply(200, {});
      }
      const status = clock.now() - group.createdAt >= 30_000 ? 'ACTIVE' : 'CREATE PENDING';
      return reply(200, { datasetGroup: { datasetGroupArn: input.datasetGroupArn, status } });
    });
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('AWS::Personalize::DatasetGroup is created and deleted against the Personalize endpoint', async () => {
  const clock = new FakeClock();
  const server = await fakePersonalize(clock);
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out = collector();
  const cfn = new LocalCloudFormation({ clock, personalizeEndpoint: endpoint, log: out.log });
  try {
    const template = {
      Resources: { Group: { Type: 'AWS::Personalize::DatasetGroup', Properties: { Name: 'movies' } } },
      Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Group', 'DatasetGroupArn'] } }, Ref: { Value: { Ref: 'Group' } } },
    };
    const result = await cfn.deploy(writeAssembly('Personalize', template));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.outputs).toEqual({ Arn: 'arn:aws:personalize:us-east-1:123456789012:dataset-group/movies', Ref: result.outputs.Arn });
    expect(clock.total).toBe(30_000);
    expect(out.lines.some(l => l.startsWith('recorded (not simulated)'))).toBe(false);
    expect((await cfn.destroy('Personalize')).status).toBe('DELETE_COMPLETE');
  } finally {
    await cfn.close();
    server.closeAllConnections();
    server.close();
  }
});
