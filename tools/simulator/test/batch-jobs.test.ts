import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
} from '@aws-sdk/client-personalize';
import { TIMING } from '..';
import { Harness, activeSolution, newVersion, startHarness, stopHarness } from '../testing';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => stopHarness(h));

const TRAINED_MS = TIMING.versionPendingMs + TIMING.baseTrainingMs + TIMING.roundMs;
const ROLE = 'arn:aws:iam::123456789012:role/batch';
const io = (name: string) => ({
  jobInput: { s3DataSource: { path: 's3://data/in/' } },
  jobOutput: { s3DataDestination: { path: `s3://data/out/${name}/` } },
  roleArn: ROLE,
});

async function trained(recipeArn?: string, name = 'sol'): Promise<string> {
  const solutionArn = await activeSolution(h, { name, ...(recipeArn ? { recipeArn } : {}) });
  const versionArn = await newVersion(h, solutionArn);
  h.sim.clock.advance(TRAINED_MS);
  return versionArn;
}

test('a batch inference job runs after its version trained, then writes SIMULATED output under its path', async () => {
  const solutionVersionArn = await trained();
  const { batchInferenceJobArn } = await h.client.send(new CreateBatchInferenceJobCommand({ jobName: 'weekly', solutionVersionArn, numResults: 5, ...io('weekly') }));
  const status = async () => (await h.client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn }))).batchInferenceJob!;
  expect((await status()).status).toBe('CREATE PENDING');
  h.sim.clock.advance(TIMING.stepMs);
  expect((await status()).status).toBe('CREATE IN_PROGRESS');
  expect(h.sim.batchOutputs()).toEqual([]);
  h.sim.clock.advance(TIMING.batchJobMs);
  expect(await status()).toMatchObject({ status: 'ACTIVE', numResults: 5, jobOutput: { s3DataDestination: { path: 's3://data/out/weekly/' } } });
  const [output] = h.sim.batchOutputs();
  expect(output.uri).toBe('s3://data/out/weekly/batch-input.json.out');
  expect(JSON.parse(output.lines[0])).toMatchObject({ input: { userId: 'user-1' }, output: { recommendedItems: expect.any(Array) }, simulated: true });
  await expect(h.client.send(new CreateBatchInferenceJobCommand({ jobName: 'weekly', solutionVersionArn, ...io('weekly') })))
    .rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
});

test('recipes: segments need USER_SEGMENTATION; no batch inference for segmentation, Trending-Now or themes off Similar-Items', async () => {
  const up = await trained(undefined, 'up');
  const affinity = await trained('arn:aws:personalize:::recipe/aws-item-affinity', 'affinity');
  await expect(h.client.send(new CreateBatchSegmentJobCommand({ jobName: 's', solutionVersionArn: up, ...io('s') })))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('need a USER_SEGMENTATION recipe') });
  await expect(h.client.send(new CreateBatchInferenceJobCommand({ jobName: 'i', solutionVersionArn: affinity, ...io('i') })))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('use a batch segment job') });
  await expect(h.client.send(new CreateBatchInferenceJobCommand({
    jobName: 't', solutionVersionArn: up, batchInferenceJobMode: 'THEME_GENERATION', themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } }, ...io('t'),
  }))).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('THEME_GENERATION needs the Similar-Items recipe') });
  await expect(h.client.send(new CreateBatchInferenceJobCommand({ jobName: 'n', solutionVersionArn: up, numResults: 501, ...io('n') })))
    .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('numResults must be from 1 to 500') });
  const { batchSegmentJobArn } = await h.client.send(new CreateBatchSegmentJobCommand({ jobName: 's', solutionVersionArn: affinity, numResults: 1000, ...io('s') }));
  h.sim.clock.advance(TIMING.stepMs + TIMING.batchJobMs);
  expect((await h.client.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn }))).batchSegmentJob!.status).toBe('ACTIVE');
});

test('a version still training, a missing filter, a sixth job at once and an armed failure', async () => {
  const solutionArn = await activeSolution(h);
  const training = await newVersion(h, solutionArn);
  await expect(h.client.send(new CreateBatchInferenceJobCommand({ jobName: 'early', solutionVersionArn: training, ...io('early') })))
    .rejects.toMatchObject({ name: 'ResourceInUseException' });
  h.sim.clock.advance(TRAINED_MS);
  await expect(h.client.send(new CreateBatchInferenceJobCommand({
    jobName: 'f', solutionVersionArn: training, filterArn: 'arn:aws:personalize:us-east-1:123456789012:filter/none', ...io('f'),
  }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  h.sim.failNextBatchJob('Input is not JSON Lines');
  const jobs = [];
  for (let i = 0; i < 5; i++) {
    jobs.push((await h.client.send(new CreateBatchInferenceJobCommand({ jobName: `j${i}`, solutionVersionArn: training, ...io(`j${i}`) }))).batchInferenceJobArn!);
  }
  await expect(h.client.send(new CreateBatchInferenceJobCommand({ jobName: 'sixth', solutionVersionArn: training, ...io('sixth') })))
    .rejects.toMatchObject({ name: 'LimitExceededException' });
  h.sim.clock.advance(TIMING.stepMs + TIMING.batchJobMs);
  expect((await h.client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: jobs[0] }))).batchInferenceJob)
    .toMatchObject({ status: 'CREATE FAILED', failureReason: 'Input is not JSON Lines' });
  expect(h.sim.batchOutputs()).toHaveLength(4);
});
