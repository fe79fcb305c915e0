import { catalogueChecks } from './integ/catalogue-checks';
import { committedSnapshot, integTemplates } from './integ/snapshot';
import { RECIPE_CATALOGUE } from '../src/private/recipe-catalogue';

/**
 * The real-account test's snapshot is checked here, without deploying: integ-runner would do it,
 * but cannot read this aws-cdk-lib's assemblies yet (test/integ/snapshot.ts).
 */
describe('the real-account test snapshot', () => {
  let step1: Record<string, string>;
  let step3: Record<string, string>;
  beforeAll(() => {
    step1 = integTemplates(1);
    step3 = integTemplates(3);
  }, 120_000);

  test('the templates at step 1 are the committed snapshot (npx projen integ:snapshot writes it anew)', () => {
    const committed = committedSnapshot();
    expect(Object.keys(committed).length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(step1)).toEqual(Object.keys(committed));
    for (const [file, text] of Object.entries(step1)) {
      expect({ file, text }).toEqual({ file, text: committed[file] });
    }
  });

  test('step 3 deploys the stack of step 1 (A, B, then A again); only its assertions expect a campaign update', () => {
    const stack = 'CdkPersonalizeIntegHpo.template.json';
    expect(step3[stack]).toEqual(step1[stack]);
    const asserts = Object.keys(step1).find(f => f.includes('DeployAssert'))!;
    expect(step1[asserts]).not.toContain('latestCampaignUpdate');
    expect(step3[asserts]).toContain('latestCampaignUpdate');
  });
});

describe('the batch inference real-account test snapshot', () => {
  test('its templates are the committed snapshot, and its assertions import nothing from the test stack', () => {
    const committed = committedSnapshot('integ.batch-inference.ts');
    const now = integTemplates(1, 'integ.batch-inference.ts');
    expect(Object.keys(committed)).toEqual(['BatchInferenceDefaultTestDeployAssertEDD4A3F6.template.json', 'CdkPersonalizeIntegBatch.template.json']);
    expect(Object.keys(now)).toEqual(Object.keys(committed));
    for (const [file, text] of Object.entries(now)) {
      expect({ file, text }).toEqual({ file, text: committed[file] });
    }
    const asserts = JSON.parse(committed['BatchInferenceDefaultTestDeployAssertEDD4A3F6.template.json']);
    expect(JSON.stringify(asserts)).not.toContain('Fn::ImportValue');
    const calls = Object.values(asserts.Resources as Record<string, any>)
      .filter(r => String(r.Type).startsWith('Custom::DeployAssert@SdkCall')).map(r => `${r.Properties.service}.${r.Properties.api}`);
    expect(calls.sort()).toEqual(['CloudFormation.describeStacks', 'S3.listObjectsV2']);
    const stack = JSON.parse(committed['CdkPersonalizeIntegBatch.template.json']);
    expect(Object.values(stack.Resources as Record<string, any>).filter(r => r.Type === 'Custom::PersonalizeBatchInferenceJob')).toHaveLength(1);
  }, 120_000);
});

describe('the recipe catalogue\'s open entries', () => {
  const checks = catalogueChecks();
  const assertions = () => JSON.parse(Object.entries(committedSnapshot()).find(([f]) => f.includes('DeployAssert'))![1]);

  test('every unverified entry of a current recipe has a check', () => {
    const open = RECIPE_CATALOGUE.filter(r => !r.legacy).flatMap(r => r.params.filter(p => p.unverified).map(p => `${r.name}/${p.name}`));
    expect(open.length).toBeGreaterThan(0);
    expect(checks.map(c => `${c.recipe}/${c.param}`)).toEqual(open);
  });

  test('the real-account test asserts each check with the call that settles it', () => {
    const calls = Object.values(assertions().Resources as Record<string, any>)
      .filter(r => String(r.Type).startsWith('Custom::DeployAssert@SdkCall'))
      .map(r => ({ api: r.Properties.api, expected: JSON.stringify(r.Properties.expected) }));
    for (const check of checks) {
      const recipeCall = calls.find(c => c.api === 'describeRecipe' && c.expected.includes(`recipe/${check.recipe}\\`));
      const settling = calls.filter(c => c.api === check.api && c.expected.includes(`\\"${check.param}\\"`));
      expect({ check: `${check.recipe}/${check.param}`, recipe: !!recipeCall, settling: settling.length })
        .toEqual({ check: `${check.recipe}/${check.param}`, recipe: true, settling: check.param.includes('percentile') ? 2 : 1 });
    }
  });

  test('a featurization entry left open needs a default to be checked', () => {
    expect(() => catalogueChecks([{
      ...RECIPE_CATALOGUE[0],
      name: 'aws-example',
      legacy: false,
      params: [{ name: 'x', type: 'integer', placement: 'featureTransformation', tunable: false, unverified: 'open' }],
    }])).toThrow(/x: an unverified featurization parameter needs a documented default/);
  });
});
