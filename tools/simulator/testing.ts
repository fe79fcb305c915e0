import {
  CreateDatasetCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionCommandInput,
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PersonalizeSimulator, PersonalizeSimulatorOptions } from './index';

export const UP = 'arn:aws:personalize:::recipe/aws-user-personalization';
export const UP_V2 = 'arn:aws:personalize:::recipe/aws-user-personalization-v2';
export const SIMS = 'arn:aws:personalize:::recipe/aws-sims';

/** Retries throttling and transient errors after 5 ms, up to `maxAttempts` attempts (the SDK default waits up to seconds). */
export function fastRetry(maxAttempts: number) {
  const token = (count: number) => ({ getRetryCount: () => count, getRetryDelay: () => 5 });
  return {
    mode: 'standard',
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (prev: { getRetryCount(): number }, info: { errorType: string }) => {
      const next = prev.getRetryCount() + 1;
      if ((info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT') && next < maxAttempts) return token(next);
      throw new Error('no more retries');
    },
    recordSuccess: () => undefined,
  };
}

export interface Harness {
  readonly sim: PersonalizeSimulator;
  readonly client: PersonalizeClient;
  readonly logs: string[];
  readonly datasetGroupArn: string;
}

/** Starts a simulator (auto-training off unless asked) and a real SDK client on it. */
export async function startHarness(options: PersonalizeSimulatorOptions = {}, maxAttempts = 3): Promise<Harness> {
  const logs: string[] = [];
  const sim = new PersonalizeSimulator({ autoTraining: false, logger: (l) => logs.push(l), ...options });
  await sim.start();
  const client = new PersonalizeClient({ ...sim.clientConfig(), maxAttempts, retryStrategy: fastRetry(maxAttempts) });
  return { sim, client, logs, datasetGroupArn: sim.seedDatasetGroup('dsg') };
}

/** A schema and an ACTIVE dataset of `type` in the harness's dataset group; returns the dataset's ARN. */
export async function datasetWith(h: Harness, type: 'Interactions' | 'Items', fields: object[]): Promise<string> {
  const { schemaArn } = await h.client.send(new CreateSchemaCommand({
    name: `${type}-schema`,
    schema: JSON.stringify({ type: 'record', name: type, namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0' }),
  }));
  const { datasetArn } = await h.client.send(new CreateDatasetCommand({
    name: type, datasetGroupArn: h.datasetGroupArn, datasetType: type, schemaArn,
  }));
  h.sim.clock.advanceSeconds(120);
  return datasetArn!;
}

export async function stopHarness(h: Harness | undefined): Promise<void> {
  h?.client.destroy();
  await h?.sim.stop();
}

/** Creates a solution (auto-training off) and advances the clock until it is ACTIVE. */
export async function activeSolution(h: Harness, input: Partial<CreateSolutionCommandInput> = {}): Promise<string> {
  const { solutionArn } = await h.client.send(new CreateSolutionCommand({
    name: 'sol', datasetGroupArn: h.datasetGroupArn, recipeArn: UP, performAutoTraining: false, ...input,
  }));
  h.sim.clock.advanceSeconds(60);
  return solutionArn!;
}

export async function newVersion(h: Harness, solutionArn: string, trainingMode?: 'FULL' | 'UPDATE'): Promise<string> {
  return (await h.client.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode }))).solutionVersionArn!;
}

export async function versionOf(h: Harness, solutionVersionArn: string) {
  return (await h.client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
}

export async function solutionOf(h: Harness, solutionArn: string) {
  return (await h.client.send(new DescribeSolutionCommand({ solutionArn }))).solution!;
}

/** Sends a raw awsJson1_1 request (bypassing the SDK, which drops unknown members before sending). */
export async function rawCall(endpoint: string, operation: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonPersonalize.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** The standard HPO configuration of the tests: hidden_dimension, bptt and recency_mask. */
export function upHpo(total: number, parallel: number): CreateSolutionCommandInput['solutionConfig'] {
  return {
    hpoConfig: {
      hpoResourceConfig: { maxNumberOfTrainingJobs: String(total), maxParallelTrainingJobs: String(parallel) },
      algorithmHyperParameterRanges: {
        integerHyperParameterRanges: [{ name: 'hidden_dimension', minValue: 64, maxValue: 200 }, { name: 'bptt', minValue: 4, maxValue: 30 }],
        continuousHyperParameterRanges: [],
        categoricalHyperParameterRanges: [{ name: 'recency_mask', values: ['true', 'false'] }],
      },
    },
  };
}
