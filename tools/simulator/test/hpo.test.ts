import { CreateDatasetImportJobCommand, GetSolutionMetricsCommand } from '@aws-sdk/client-personalize';
import { importDurationMs, TIMING } from '..';
import { SyntheticObjective, runHpo } from '../hpo';
import { RecipeCatalog } from '../recipe-catalog';
import { Harness, SIMS, activeSolution, datasetWith, newVersion, startHarness, stopHarness, upHpo, versionOf } from '../testing';

const HPO_DONE_MS = (rounds: number) => TIMING.versionPendingMs + TIMING.baseTrainingMs + rounds * TIMING.roundMs;

/** Trains one version in a fresh simulator and returns it with its metrics. */
async function trainOnce(name: string, input: Parameters<typeof activeSolution>[1], rounds: number, options = {}) {
  const h: Harness = await startHarness(options);
  try {
    const arn = await newVersion(h, await activeSolution(h, { name, ...input }));
    h.sim.clock.advance(HPO_DONE_MS(rounds));
    const version = await versionOf(h, arn);
    const { metrics } = await h.client.send(new GetSolutionMetricsCommand({ solutionVersionArn: arn }));
    return { version, metrics: metrics!, logs: h.logs };
  } finally {
    await stopHarness(h);
  }
}

describe('simulated HPO', () => {
  test('is deterministic for the same name and config, and reports values inside the declared ranges', async () => {
    const a = await trainOnce('hpo', { performHPO: true, solutionConfig: upHpo(12, 4) }, 3);
    const b = await trainOnce('hpo', { performHPO: true, solutionConfig: upHpo(12, 4) }, 3);
    expect(a.version.tunedHPOParams).toEqual(b.version.tunedHPOParams);
    expect(a.metrics).toEqual(b.metrics);

    const tuned = a.version.tunedHPOParams!.algorithmHyperParameters!;
    expect(Object.keys(tuned).sort()).toEqual(['bptt', 'hidden_dimension', 'recency_mask']);
    expect(Number.isInteger(Number(tuned.hidden_dimension))).toBe(true);
    expect(Number(tuned.hidden_dimension)).toBeGreaterThanOrEqual(64);
    expect(Number(tuned.hidden_dimension)).toBeLessThanOrEqual(200);
    expect(Number(tuned.bptt)).toBeGreaterThanOrEqual(4);
    expect(Number(tuned.bptt)).toBeLessThanOrEqual(30);
    expect(['true', 'false']).toContain(tuned.recency_mask);
    expect(a.logs.some((l) => l.includes('[simulated]') && l.includes('HPO ran 12 trials in 3 rounds'))).toBe(true);
  });

  test('depends on the solution name', async () => {
    const results = await Promise.all(['n1', 'n2', 'n3'].map((n) => trainOnce(n, { performHPO: true, solutionConfig: upHpo(6, 3) }, 2)));
    const distinct = new Set(results.map((r) => JSON.stringify(r.version.tunedHPOParams)));
    expect(distinct.size).toBeGreaterThan(1);
  });

  test('continuous ranges and fixed values: fixed parameters are not tuned or reported', async () => {
    const { version } = await trainOnce('sims', {
      recipeArn: SIMS,
      performHPO: true,
      solutionConfig: {
        algorithmHyperParameters: { min_cointeraction_count: '5' },
        hpoConfig: {
          hpoResourceConfig: { maxNumberOfTrainingJobs: '6', maxParallelTrainingJobs: '2' },
          algorithmHyperParameterRanges: { continuousHyperParameterRanges: [{ name: 'popularity_discount_factor', minValue: 0.2, maxValue: 0.6 }] },
        },
      },
    }, 3);
    const tuned = version.tunedHPOParams!.algorithmHyperParameters!;
    expect(Object.keys(tuned)).toEqual(['popularity_discount_factor']);
    expect(Number(tuned.popularity_discount_factor)).toBeGreaterThanOrEqual(0.2);
    expect(Number(tuned.popularity_discount_factor)).toBeLessThanOrEqual(0.6);
  });

  test('prefixTunedNames echoes names as training.* / data.*', async () => {
    const { version } = await trainOnce('hpo', { performHPO: true, solutionConfig: upHpo(4, 4) }, 1, { prefixTunedNames: true });
    expect(Object.keys(version.tunedHPOParams!.algorithmHyperParameters!).sort()).toEqual(['data.recency_mask', 'training.bptt', 'training.hidden_dimension']);
    const ranges = version.solutionConfig!.hpoConfig!.algorithmHyperParameterRanges!;
    expect(ranges.integerHyperParameterRanges!.map((r) => r.name)).toEqual(['training.hidden_dimension', 'training.bptt']);
  });

  test('GetSolutionMetrics uses the real keys per recipe type', async () => {
    const up = await trainOnce('up', {}, 1);
    expect(Object.keys(up.metrics).sort()).toEqual([
      'coverage', 'mean_reciprocal_rank_at_25',
      'normalized_discounted_cumulative_gain_at_10', 'normalized_discounted_cumulative_gain_at_25', 'normalized_discounted_cumulative_gain_at_5',
      'precision_at_10', 'precision_at_25', 'precision_at_5',
    ]);
    const seg = await trainOnce('seg', { recipeArn: 'arn:aws:personalize:::recipe/aws-item-affinity' }, 1);
    expect(Object.keys(seg.metrics).sort()).toEqual(['coverage', 'hits_at_1_percent', 'recall_at_1_percent']);
  });

  test('runHpo runs every trial in rounds and never scores below its first round', () => {
    const recipe = new RecipeCatalog().all().find((r) => r.name === 'aws-user-personalization')!;
    const objective = new SyntheticObjective(recipe, 'landscape');
    const space = {
      integer: [{ name: 'hidden_dimension', minValue: 32, maxValue: 256 }],
      continuous: [],
      categorical: [{ name: 'recency_mask', values: ['true', 'false'] }],
    };
    const result = runHpo('seed', space, 40, 10, {}, objective);
    expect(result.rounds).toBe(4);
    expect(result.trials).toHaveLength(40);
    expect(new Set(result.trials.map((t) => t.round))).toEqual(new Set([0, 1, 2, 3]));
    const firstRoundBest = Math.max(...result.trials.filter((t) => t.round === 0).map((t) => t.objective));
    expect(result.best.objective).toBeGreaterThanOrEqual(firstRoundBest);
    expect(runHpo('seed', space, 40, 10, {}, objective)).toEqual(result);
  });
});

describe('retraining on new data', () => {
  const NO_HPO_MS = TIMING.versionPendingMs + TIMING.baseTrainingMs + TIMING.roundMs;

  /** Trains a version of one solution after each import in turn; returns each version's NDCG@10. */
  async function retrainAfterEach(locations: string[]): Promise<number[]> {
    const h = await startHarness();
    try {
      const datasetArn = await datasetWith(h, 'Interactions', [
        { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
      ]);
      const solutionArn = await activeSolution(h);
      const values: number[] = [];
      for (const [i, dataLocation] of locations.entries()) {
        await h.client.send(new CreateDatasetImportJobCommand({ jobName: `import-${i}`, datasetArn, dataSource: { dataLocation } }));
        h.sim.clock.advance(TIMING.stepMs + importDurationMs(TIMING.defaultImportRecords));
        const arn = await newVersion(h, solutionArn);
        h.sim.clock.advance(NO_HPO_MS);
        const { metrics } = await h.client.send(new GetSolutionMetricsCommand({ solutionVersionArn: arn }));
        values.push(metrics!.normalized_discounted_cumulative_gain_at_10);
      }
      return values;
    } finally {
      await stopHarness(h);
    }
  }

  test('gives another model on other data, the same on the same data, within a small shift', async () => {
    const locations = ['s3://b/week-1/', 's3://b/week-2/', 's3://b/week-3/', 's3://b/week-4/'];
    const first = await retrainAfterEach(locations);
    expect(await retrainAfterEach(locations)).toEqual(first);
    // Each retraining sees every import so far: the metrics move, up or down, by at most the shift.
    expect(new Set(first).size).toBe(first.length);
    expect(first.some((v, i) => i > 0 && v > first[i - 1])).toBe(true);
    expect(first.some((v, i) => i > 0 && v < first[i - 1])).toBe(true);
    expect(Math.max(...first) - Math.min(...first)).toBeLessThanOrEqual(0.04 * 0.32 + 1e-4);
  });
});
