import * as fs from 'fs';
import { DescribeCampaignCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { E2E, HOUR, destroyAndCheckLeftovers } from './harness';
import { leftovers } from '../integ/after-destroy';
import { BPTT_RANGES, INTEG_BATCH_PREFIX, INTEG_BATCH_STACK, INTEG_PREFIX, INTEG_STACK } from '../integ/integ-names';
import { synthIntegApp } from '../integ/synth';

/**
 * The real-account test's stack, deployed offline at steps 1, 2 and 3 (bptt on A, B, A) as
 * README's "Testing in your account" runs it. Every training result is SIMULATED.
 */

jest.setTimeout(120_000);

let e2e: E2E | undefined;
const dirs: string[] = [];

afterAll(async () => {
  await e2e?.close();
  for (const dir of dirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the real-account test deploys A, B and A again offline, retrains each time, keeps its campaign and leaves nothing', async () => {
  e2e = await E2E.start();
  const client = new PersonalizeClient({ ...e2e.sim.clientConfig(), maxAttempts: 1 });
  const trained: string[] = [];
  let hours = 0;
  let campaigns: string[] | undefined;
  for (const step of [1, 2, 3]) {
    const dir = synthIntegApp(step);
    dirs.push(dir);
    const result = await e2e.deploy(dir, INTEG_STACK);

    expect({ step, status: result.status, reason: result.failureReason }).toEqual({
      step, status: step === 1 ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE', reason: undefined,
    });
    const arn = result.outputs.UpSolutionVersionArn;
    expect(trained).not.toContain(arn);
    trained.push(arn);
    expect(result.outputs.UpStatus).toBe('ACTIVE');
    const [min, max] = BPTT_RANGES[step];
    expect(Number(result.outputs.UpTunedBptt)).toBeGreaterThanOrEqual(min);
    expect(Number(result.outputs.UpTunedBptt)).toBeLessThanOrEqual(max);
    // The campaign is updated in place, on the version this step trained.
    const ids = e2e.physicalIdsOf(INTEG_STACK, 'AWS::Personalize::Campaign');
    campaigns = campaigns ?? ids;
    expect(ids).toEqual(campaigns);
    const { campaign } = await client.send(new DescribeCampaignCommand({ campaignArn: ids[0] }));
    expect({ status: campaign?.status, serving: campaign?.solutionVersionArn }).toEqual({ status: 'ACTIVE', serving: arn });
    hours += Number(result.outputs.UpTrainingHours);
    await e2e.cfn.advance(HOUR);
  }
  expect(e2e.calls('CreateSolutionVersion')).toBe(3);
  // What README's "Testing in your account" reports (simulated).
  console.log(`real-account test, simulated: ${hours.toFixed(2)} billed training hours over 3 steps`);
  expect(hours).toBeGreaterThan(0);

  // The after-destroy check sees what the stack holds, and nothing once it is gone.
  expect((await leftovers(client, [INTEG_PREFIX, INTEG_STACK])).length).toBeGreaterThan(0);
  await destroyAndCheckLeftovers(e2e, INTEG_STACK);
  expect(await leftovers(client, [INTEG_PREFIX, INTEG_STACK])).toEqual([]);
});

test('the batch inference real-account test deploys offline: the job runs after the training and writes to the folder its output names', async () => {
  const env = await E2E.start();
  try {
    const dir = synthIntegApp(1, 'integ.batch-inference.ts');
    dirs.push(dir);
    const result = await env.deploy(dir, INTEG_BATCH_STACK);
    expect({ status: result.status, reason: result.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
    const [key] = Object.keys(result.outputs).filter(k => k.startsWith('WeeklyOutputLocation'));
    const location = result.outputs[key];
    expect(location).toMatch(new RegExp(`^s3://${INTEG_BATCH_PREFIX}000000000000-us-west-2/batch/output/CdkPersonalizeIntegBatchWeekly[^/]+/$`));
    expect(env.sim.batchOutputs().map(o => o.uri)).toEqual([`${location}batch-input.json.out`]);
    await destroyAndCheckLeftovers(env, INTEG_BATCH_STACK);
    const client = new PersonalizeClient({ ...env.sim.clientConfig(), maxAttempts: 1 });
    expect(await leftovers(client, [INTEG_BATCH_PREFIX, INTEG_BATCH_STACK])).toEqual([]);
  } finally {
    await env.close();
  }
});
