import * as http from 'http';
import type { AddressInfo } from 'net';
import {
  DescribeSolutionVersionCommand,
  PersonalizeClient,
  ResourceInUseException,
  ResourceNotFoundException,
  StopSolutionVersionCreationCommand,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { versionArn } from './events';
import {
  formatDuration,
  httpPut,
  MAX_REASON_LENGTH,
  TrainingPoller,
  type ExecutionStatusChangeEvent,
  type HttpResponse,
} from '../../src/handlers/training-poller';
import { handler as pollerEntry } from '../../src/handlers/training-poller.lambda';
import type { TrainingPollerInput } from '../../src/private/contract';

const personalize = mockClient(PersonalizeClient);
const meta = { $metadata: {} };
/** Not modelled by Personalize: the SDK raises a generic service exception with this name. */
const accessDenied = () => Object.assign(new Error('denied'), { name: 'AccessDeniedException' });

const ARN = versionArn('movies', '5a515609');
const HANDLE = 'https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/arn%3Aaws%3Acloudformation/handle?X-Amz-Signature=abc';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

const INPUT: TrainingPollerInput = {
  solutionVersionArn: ARN,
  waitHandleUrl: HANDLE,
  deadline: NOW / 1000 + 3600,
  trainingTimeoutSeconds: 5400,
  pollIntervalSeconds: 120,
};

let clock: number;
let puts: Array<{ url: string; body: any }>;
let putStatus: number;
let poller: TrainingPoller;

beforeEach(() => {
  personalize.reset();
  clock = NOW;
  puts = [];
  putStatus = 200;
  poller = new TrainingPoller({
    personalize: new PersonalizeClient({ maxAttempts: 1 }),
    put: async (url, body): Promise<HttpResponse> => {
      puts.push({ url, body: JSON.parse(body) });
      return { statusCode: putStatus, body: putStatus === 200 ? '' : '<Error><Code>AccessDenied</Code></Error>' };
    },
    now: () => clock,
  });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function versionIs(status: string, failureReason?: string) {
  personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: ARN, status, failureReason } });
}

describe('check', () => {
  test.each(['CREATE PENDING', 'CREATE IN_PROGRESS'])('%s before the deadline: WAIT', async (status) => {
    versionIs(status);
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({ outcome: 'WAIT', status, reason: '' });
    expect(personalize).toHaveReceivedCommandWith(DescribeSolutionVersionCommand, { solutionVersionArn: ARN });
    expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);
  });

  test('ACTIVE: SUCCESS', async () => {
    versionIs('ACTIVE');
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({ outcome: 'SUCCESS', status: 'ACTIVE', reason: '' });
  });

  test('CREATE FAILED: FAILURE with Personalize\'s reason', async () => {
    versionIs('CREATE FAILED', 'Insufficient data for training: at least 1000 interactions are needed');
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({
      outcome: 'FAILURE',
      status: 'CREATE FAILED',
      reason: 'training failed: Insufficient data for training: at least 1000 interactions are needed',
    });
  });

  test.each(['CREATE STOPPING', 'CREATE STOPPED'])('%s: FAILURE, training was stopped', async (status) => {
    versionIs(status);
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({ outcome: 'FAILURE', status, reason: 'training was stopped' });
  });

  test.each(['CREATE PENDING', 'CREATE IN_PROGRESS'])('%s at the deadline: stopped, then FAILURE', async (status) => {
    versionIs(status);
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    clock = INPUT.deadline * 1000;
    await expect(poller.handle({ action: 'check', ...INPUT })).resolves.toEqual({
      outcome: 'FAILURE',
      status,
      reason: 'training did not finish within the trainingTimeout of 1h 30m; it was stopped',
    });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: ARN });
  });

  test('past the deadline, a training that finished just before the stop is a SUCCESS', async () => {
    personalize.on(DescribeSolutionVersionCommand)
      .resolvesOnce({ solutionVersion: { status: 'CREATE IN_PROGRESS' } })
      .resolves({ solutionVersion: { status: 'ACTIVE' } });
    personalize.on(StopSolutionVersionCreationCommand).rejects(new ResourceInUseException({ message: 'not in progress', ...meta }));
    clock = INPUT.deadline * 1000 + 1;
    await expect(poller.check(INPUT)).resolves.toEqual({ outcome: 'SUCCESS', status: 'ACTIVE', reason: '' });
  });

  test('a version that no longer exists: FAILURE', async () => {
    personalize.on(DescribeSolutionVersionCommand).rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));
    await expect(poller.check(INPUT)).resolves.toEqual({ outcome: 'FAILURE', status: 'NOT FOUND', reason: `solution version ${ARN} no longer exists` });
  });

  test('other errors throw (the state machine retries, then its Catch signals)', async () => {
    personalize.on(DescribeSolutionVersionCommand).rejects(accessDenied());
    await expect(poller.check(INPUT)).rejects.toThrow('DescribeSolutionVersion failed: AccessDeniedException: denied');
  });

  test('numbers passed as strings are coerced; a missing member is named', async () => {
    versionIs('CREATE IN_PROGRESS');
    const stringly = { action: 'check', ...INPUT, deadline: String(INPUT.deadline), pollIntervalSeconds: '120' } as any;
    await expect(poller.handle(stringly)).resolves.toMatchObject({ outcome: 'WAIT' });
    await expect(poller.handle({ action: 'check', ...INPUT, waitHandleUrl: undefined } as any))
      .rejects.toThrow('Training poller input waitHandleUrl must be a non-empty string, got undefined');
    await expect(poller.handle({ action: 'poll', ...INPUT } as any)).rejects.toThrow('Unsupported training poller event: action "poll"');
  });

  test('formatDuration', () => {
    expect(formatDuration(21600)).toBe('6h');
    expect(formatDuration(5400)).toBe('1h 30m');
    expect(formatDuration(600)).toBe('10m');
    expect(formatDuration(90)).toBe('1m 30s');
  });
});

describe('signal', () => {
  test('SUCCESS: PUTs the wait condition body to the handle URL', async () => {
    await expect(poller.handle({ action: 'signal', ...INPUT, outcome: 'SUCCESS', status: 'ACTIVE', reason: '' }))
      .resolves.toEqual({ signalled: 'SUCCESS', reason: 'ACTIVE' });
    expect(puts).toEqual([{ url: HANDLE, body: { Status: 'SUCCESS', Reason: 'ACTIVE', UniqueId: '5a515609', Data: 'ACTIVE' } }]);
    expect(personalize).not.toHaveReceivedAnyCommand();
  });

  test('FAILURE carries the reason, cut to ~4000 characters', async () => {
    await poller.handle({ action: 'signal', ...INPUT, outcome: 'FAILURE', status: 'CREATE FAILED', reason: 'training failed: no data' });
    expect(puts[0].body).toEqual({ Status: 'FAILURE', Reason: 'training failed: no data', UniqueId: '5a515609', Data: 'CREATE FAILED' });

    await poller.handle({ action: 'signal', ...INPUT, outcome: 'FAILURE', status: 'CREATE FAILED', reason: 'x'.repeat(10_000) });
    expect(puts[1].body.Reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(puts[1].body.Reason).toMatch(/\(truncated\)$/);
  });

  test('a non-2xx response throws, so Step Functions retries', async () => {
    putStatus = 403;
    await expect(poller.handle({ action: 'signal', ...INPUT, outcome: 'SUCCESS', status: 'ACTIVE' }))
      .rejects.toThrow('Signalling the wait condition (https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/arn%3Aaws%3Acloudformation/handle) failed: HTTP 403');
  });

  test('WAIT is not a signal', async () => {
    await expect(poller.signal(INPUT, 'WAIT', 'CREATE IN_PROGRESS')).rejects.toThrow('Cannot signal outcome "WAIT"');
    expect(puts).toEqual([]);
  });
});

describe('signal-error', () => {
  const error = {
    Error: 'Lambda.Unknown',
    Cause: JSON.stringify({ errorType: 'Error', errorMessage: 'Task timed out after 60.00 seconds' }),
  };

  test('stops a training still running, then signals FAILURE with the error', async () => {
    versionIs('CREATE IN_PROGRESS');
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    await expect(poller.handle({ action: 'signal-error', ...INPUT, error })).resolves.toEqual({
      signalled: 'FAILURE',
      reason: 'training poller failed: Lambda.Unknown: Task timed out after 60.00 seconds',
    });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: ARN });
    expect(puts).toEqual([{
      url: HANDLE,
      body: { Status: 'FAILURE', Reason: 'training poller failed: Lambda.Unknown: Task timed out after 60.00 seconds', UniqueId: '5a515609', Data: 'CREATE IN_PROGRESS' },
    }]);
  });

  test('a finished training is not stopped; a non-JSON Cause is kept as is', async () => {
    versionIs('ACTIVE');
    await poller.handle({ action: 'signal-error', ...INPUT, error: { Error: 'States.Runtime', Cause: 'JSONPath $.check.reason not found' } });
    expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);
    expect(puts[0].body.Reason).toBe('training poller failed: States.Runtime: JSONPath $.check.reason not found');
  });

  test('a failed stop still signals, then throws so the state machine retries', async () => {
    versionIs('CREATE PENDING');
    personalize.on(StopSolutionVersionCreationCommand).rejects(accessDenied());
    await expect(poller.handle({ action: 'signal-error', ...INPUT, error })).rejects.toThrow('StopSolutionVersionCreation failed: AccessDeniedException: denied');
    expect(puts).toHaveLength(1);
    expect(puts[0].body.Status).toBe('FAILURE');
  });
});

describe('EventBridge: an execution that died', () => {
  function statusChange(status: string, input: string = JSON.stringify(INPUT)): ExecutionStatusChangeEvent {
    return {
      'source': 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      'detail': {
        status,
        input,
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:TrainingWaiter:cdkp-5a515609-abc',
        error: status === 'FAILED' ? 'States.Runtime' : undefined,
      },
    } as ExecutionStatusChangeEvent;
  }

  test.each([
    ['FAILED', 'training poller execution FAILED: States.Runtime'],
    ['TIMED_OUT', 'training poller execution TIMED_OUT'],
    ['ABORTED', 'training poller execution ABORTED'],
  ])('%s: the training is stopped and the wait condition fails', async (status, reason) => {
    versionIs('CREATE IN_PROGRESS');
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    await expect(poller.handle(statusChange(status))).resolves.toEqual({ signalled: 'FAILURE', reason });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: ARN });
    expect(puts).toEqual([{ url: HANDLE, body: { Status: 'FAILURE', Reason: reason, UniqueId: '5a515609', Data: 'CREATE IN_PROGRESS' } }]);
  });

  test('SUCCEEDED and unusable input are ignored', async () => {
    await expect(poller.handle(statusChange('SUCCEEDED'))).resolves.toEqual({ ignored: 'execution status SUCCEEDED' });
    await expect(poller.handle(statusChange('FAILED', 'not json'))).resolves.toMatchObject({ ignored: expect.stringMatching(/^unusable execution input/) });
    expect(puts).toEqual([]);
    expect(personalize).not.toHaveReceivedAnyCommand();
  });
});

describe('HTTP PUT and the Lambda entry', () => {
  let server: http.Server;
  let requests: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }>;
  let status: number;
  let base: string;

  beforeEach(async () => {
    requests = [];
    status = 200;
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(status).end(status === 200 ? '' : 'SignatureDoesNotMatch');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('httpPut sends a PUT with an empty Content-Type, as cfn-response does', async () => {
    const body = JSON.stringify({ Status: 'SUCCESS', Reason: 'ACTIVE', UniqueId: '5a515609', Data: 'ACTIVE' });
    await expect(httpPut(`${base}/wait/handle?X-Amz-Signature=local`, body)).resolves.toEqual({ statusCode: 200, body: '' });
    expect(requests).toEqual([{
      method: 'PUT',
      url: '/wait/handle?X-Amz-Signature=local',
      headers: expect.objectContaining({ 'content-type': '', 'content-length': String(Buffer.byteLength(body)) }),
      body,
    }]);
  });

  test('httpPut reports the status of a refused PUT; other protocols are rejected', async () => {
    status = 403;
    await expect(httpPut(`${base}/wait`, '{}')).resolves.toEqual({ statusCode: 403, body: 'SignatureDoesNotMatch' });
    await expect(httpPut('ftp://example.com/wait', '{}')).rejects.toThrow('Unsupported wait handle URL protocol ftp:');
  });

  test('the Lambda entry dispatches an EventBridge execution status change: stop, then PUT FAILURE', async () => {
    versionIs('CREATE IN_PROGRESS');
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    const input = { ...INPUT, waitHandleUrl: `${base}/wait/handle?X-Amz-Signature=local` };
    const event: ExecutionStatusChangeEvent = {
      'source': 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      'detail': { status: 'TIMED_OUT', input: JSON.stringify(input), executionArn: 'arn:aws:states:us-east-1:123456789012:execution:w:x' },
    };

    await expect(pollerEntry(event)).resolves.toEqual({ signalled: 'FAILURE', reason: 'training poller execution TIMED_OUT' });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: ARN });
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0].body)).toEqual({
      Status: 'FAILURE', Reason: 'training poller execution TIMED_OUT', UniqueId: '5a515609', Data: 'CREATE IN_PROGRESS',
    });
  });

  test('the Lambda entry runs a state machine task', async () => {
    versionIs('ACTIVE');
    await expect(pollerEntry({ action: 'check', ...INPUT })).resolves.toEqual({ outcome: 'SUCCESS', status: 'ACTIVE', reason: '' });
  });
});
