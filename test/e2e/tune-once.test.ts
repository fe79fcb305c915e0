import { DescribeSolutionCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { RemovalPolicy } from 'aws-cdk-lib';
import { E2E, synthStack, removeAssemblies, destroyAndCheckLeftovers } from './harness';
import { Campaign, DatasetGroup, HyperParameterRange, HyperParameterRanges, OfflineMetric, Recipe, Solution } from '../../src';

/**
 * Tune once, retrain cheaply: an HPO solution, and a production solution that takes the values HPO
 * chose (resolved at deploy time) and trains without HPO. Every training result is SIMULATED.
 */

jest.setTimeout(60_000);

const STACK = 'E2eTuneOnce';

function app(bptt: [number, number] = [20, 40], promotion?: { minImprovement: number }): string {
  return synthStack(STACK, stack => {
    const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'e2e-tune-once' });
    const tuning = new Solution(stack, 'Tuning', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      hpo: {
        ranges: HyperParameterRanges.userPersonalization({
          bptt: HyperParameterRange.integer(...bptt), recencyMask: HyperParameterRange.trueOrFalse(),
        }),
        maxNumberOfTrainingJobs: 8,
        maxParallelTrainingJobs: 2,
      },
    });
    const tuned = tuning.addVersion('Version', { outputPrefix: 'Tuning' });
    const production = new Solution(stack, 'Production', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      hyperParameters: tuned.tunedHyperParameters(),
    });
    const version = production.addVersion('Version', { outputPrefix: 'Production' });
    if (promotion) {
      new Campaign(stack, 'Campaign', { solutionVersion: version, promotion: { metric: OfflineMetric.NDCG_AT_10, ...promotion } });
    }
  });
}

let e2e: E2E | undefined;

afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

afterAll(() => removeAssemblies());

test('the production solution trains once HPO is done, on the values HPO chose, without HPO, for fewer hours', async () => {
  e2e = await E2E.start();
  const deployed = await e2e.deploy(app(), STACK);
  expect({ status: deployed.status, reason: deployed.failureReason }).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });

  const tunedValues = JSON.parse(deployed.outputs.TuningTunedHyperParameters);
  const productionArn = deployed.outputs.ProductionSolutionVersionArn.replace(/\/[^/]+$/, '');
  const client = new PersonalizeClient({ ...e2e.sim.clientConfig(), maxAttempts: 1 });
  const { solution } = await client.send(new DescribeSolutionCommand({ solutionArn: productionArn }));
  expect(solution?.performHPO).toBeFalsy();
  // The values of the two declared ranges (hidden_dimension, tunable but not declared, is left out).
  expect(solution?.solutionConfig?.algorithmHyperParameters).toEqual({ bptt: tunedValues.bptt, recency_mask: tunedValues.recency_mask });
  expect(JSON.parse(deployed.outputs.ProductionTunedHyperParameters)).toEqual({});

  const tuningHours = Number(deployed.outputs.TuningTrainingHours);
  const productionHours = Number(deployed.outputs.ProductionTrainingHours);
  // What README's "Tune once, retrain cheaply" reports (simulated).
  console.log(`tune once, simulated: HPO version ${tuningHours.toFixed(2)} h, retrain on its values ${productionHours.toFixed(2)} h`);
  expect(productionHours).toBeLessThan(tuningHours);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('a new tuning retrains the production solution on the new values at the same deploy', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app([20, 40]), STACK);
  expect(first.status).toBe('CREATE_COMPLETE');

  const second = await e2e.deploy(app([8, 16]), STACK);

  expect({ status: second.status, reason: second.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  const tuned = JSON.parse(second.outputs.TuningTunedHyperParameters);
  expect(Number(tuned.bptt)).toBeLessThanOrEqual(16);
  expect(second.outputs.ProductionSolutionVersionArn).not.toBe(first.outputs.ProductionSolutionVersionArn);
  const client = new PersonalizeClient({ ...e2e.sim.clientConfig(), maxAttempts: 1 });
  const { solution } = await client.send(new DescribeSolutionCommand({ solutionArn: second.outputs.ProductionSolutionVersionArn.replace(/\/[^/]+$/, '') }));
  expect(solution?.solutionConfig?.algorithmHyperParameters).toEqual({ bptt: tuned.bptt, recency_mask: tuned.recency_mask });
  // Two HPO trainings and two trainings on their values; nothing left running or behind.
  expect(e2e.calls('CreateSolutionVersion')).toBe(4);
  await destroyAndCheckLeftovers(e2e, STACK);
});

test('with a gate, a retune that loses is kept out of service without failing, and no later deploy pays for the same HPO again', async () => {
  e2e = await E2E.start();
  const first = await e2e.deploy(app([20, 40], { minImprovement: 0.5 }), STACK);
  expect(first.status).toBe('CREATE_COMPLETE');
  const served = first.outputs.ProductionSolutionVersionArn;

  // A new range: HPO trains again, the production solution is replaced by one with the new values,
  // and its first version (on the same data) cannot gain 0.5.
  const retuned = await e2e.deploy(app([8, 16], { minImprovement: 0.5 }), STACK);

  expect({ status: retuned.status, reason: retuned.failureReason }).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
  expect(retuned.outputs.CampaignPromotion).toMatch(/^KEPT: same data .* stays until the campaign moves off it$/);
  expect(e2e.calls('CreateSolutionVersion')).toBe(4);
  const again = await e2e.deploy(app([8, 16], { minImprovement: 0.5 }), STACK);
  expect(again.status).toBe('UPDATE_COMPLETE');
  expect(e2e.calls('CreateSolutionVersion')).toBe(4);

  // A looser policy promotes the retuned version: the replaced production solution, which the
  // campaign served until then, is deleted in that deploy. Nothing trains.
  const promoted = await e2e.deploy(app([8, 16], { minImprovement: -1 }), STACK);
  expect(promoted.outputs.CampaignPromotion).toMatch(new RegExp(`^PROMOTED: same data .* against [\\d.]+ of ${served} `));
  expect(e2e.calls('CreateSolutionVersion')).toBe(4);
  expect(e2e.snapshot().solutions.map(s => s.arn)).not.toContain(served.replace(/\/[^/]+$/, ''));
  await destroyAndCheckLeftovers(e2e, STACK);
});
