import * as fs from 'fs';
import * as path from 'path';
import { CreateDatasetGroupCommand, DeleteDatasetGroupCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { PersonalizeSimulator } from '@cdk-personalize/simulator';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { leftovers } from './integ/after-destroy';
import { INTEG_PREFIX, INTEG_STACK, STEP_CONTEXT, stepOf } from './integ/integ-names';
import { synthIntegApp } from './integ/synth';

const ROOT = path.join(__dirname, '..');

/** The templates of the real-account test app at one step, by stack name. */
function synthInteg(step: number): Record<string, any> {
  const outdir = synthIntegApp(step);
  const templates: Record<string, any> = {};
  for (const file of fs.readdirSync(outdir).filter(f => f.endsWith('.template.json'))) {
    templates[file.replace('.template.json', '')] = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8'));
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return templates;
}

describe('the real-account test app (test/integ)', () => {
  let step1: Record<string, any>;
  let step2: Record<string, any>;
  beforeAll(() => {
    step1 = synthInteg(1);
    step2 = synthInteg(2);
  }, 120_000);

  const assertStack = (templates: Record<string, any>) => Object.entries(templates).find(([name]) => name.includes('DeployAssert'))![1];

  test('the assertion stack never imports the test stack values, so updates of the test stack are not blocked', () => {
    for (const templates of [step1, step2]) {
      expect(JSON.stringify(assertStack(templates))).not.toContain('Fn::ImportValue');
      expect(templates[INTEG_STACK].Outputs).toBeDefined();
      expect(Object.values(templates[INTEG_STACK].Outputs).some((o: any) => o.Export)).toBe(false);
    }
  });

  test('one HPO solution with 2 training jobs, its range following the step (A, then B)', () => {
    const ranges = (templates: Record<string, any>, min: number, max: number) =>
      Template.fromJSON(templates[INTEG_STACK]).hasResourceProperties('Custom::PersonalizeSolution', {
        name: Match.stringLikeRegexp(`^${INTEG_STACK}_Up`),
        performHPO: true,
        solutionConfig: {
          hpoConfig: {
            hpoResourceConfig: { maxNumberOfTrainingJobs: '2', maxParallelTrainingJobs: '2' },
            algorithmHyperParameterRanges: Match.objectLike({ integerHyperParameterRanges: [{ name: 'bptt', minValue: min, maxValue: max }] }),
          },
        },
      });
    ranges(step1, 20, 40);
    ranges(step2, 8, 16);
  });

  test('the assertions check the served version, its tuned values, its metrics and every output', () => {
    const calls = Object.values(assertStack(step2).Resources).filter((r: any) => String(r.Type).startsWith('Custom::DeployAssert@SdkCall')).map((r: any) => `${r.Properties.service}.${r.Properties.api}`);
    expect(calls).toEqual(expect.arrayContaining([
      'Personalize.describeCampaign', 'Personalize.describeSolutionVersion', 'Personalize.getSolutionMetrics', 'Personalize.describeSolution',
    ]));
    expect(calls.filter(c => c === 'CloudFormation.describeStacks')).toHaveLength(6);
    const campaign = Object.values(assertStack(step2).Resources).find((r: any) => r.Properties?.api === 'describeCampaign') as any;
    expect(JSON.stringify(campaign.Properties.expected)).toContain('latestCampaignUpdate');
    const first = Object.values(assertStack(step1).Resources).find((r: any) => r.Properties?.api === 'describeCampaign') as any;
    expect(JSON.stringify(first.Properties.expected)).not.toContain('latestCampaignUpdate');
  });

  test('a step other than 1, 2 or 3 fails by name', () => {
    expect(stepOf(undefined)).toBe(1);
    expect(stepOf('3')).toBe(3);
    expect(() => stepOf('4')).toThrow(`Context ${STEP_CONTEXT} must be 1, 2 or 3, got "4"`);
  });
});

describe('the after-destroy check, against the simulator', () => {
  test('reports what is left under the prefix, and nothing once it is deleted', async () => {
    const sim = new PersonalizeSimulator();
    await sim.start();
    try {
      const client = new PersonalizeClient({ ...sim.clientConfig(), maxAttempts: 1 });
      const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: `${INTEG_PREFIX}group` }));
      await client.send(new CreateDatasetGroupCommand({ name: 'someone-elses-group' }));
      sim.clock.advanceMinutes(5);
      expect(await leftovers(client, [INTEG_PREFIX, INTEG_STACK])).toEqual([`dataset group ${datasetGroupArn} (ACTIVE)`]);
      await client.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
      sim.clock.advanceMinutes(5);
      expect(await leftovers(client, [INTEG_PREFIX, INTEG_STACK])).toEqual([]);
    } finally {
      await sim.stop();
    }
  });
});

test('the sample data meets Personalize minimums: 1,000 interactions and 25 users with 2 or more each', () => {
  const rows = fs.readFileSync(path.join(ROOT, 'examples', 'data', 'interactions.csv'), 'utf-8').trim().split('\n').slice(1);
  const perUser = new Map<string, number>();
  for (const row of rows) {
    const user = row.split(',')[0];
    perUser.set(user, (perUser.get(user) ?? 0) + 1);
  }
  expect(rows.length).toBeGreaterThanOrEqual(1000);
  expect([...perUser.values()].filter(n => n >= 2).length).toBeGreaterThanOrEqual(25);
});
