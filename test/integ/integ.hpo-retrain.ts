// A real-account test: an HPO solution with 2 training jobs trained during the deploy, served by a
// campaign, checked by API calls. How to run it: README, "Testing in your account".
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { catalogueChecks } from './catalogue-checks';
import { BPTT_RANGES, INTEG_PREFIX, INTEG_STACK, STEP_CONTEXT, stepOf } from './integ-names';
import {
  Campaign, Dataset, DatasetGroup, HyperParameterRange, HyperParameterRanges, HyperParameters, Recipe, Schema, SchemaField, Solution,
} from '../../src';

const app = new App();
const step = stepOf(app.node.tryGetContext(STEP_CONTEXT));
const [bpttMin, bpttMax] = BPTT_RANGES[step];
const stack = new Stack(app, INTEG_STACK);

// The data, removed with the stack.
const bucket = new s3.Bucket(stack, 'Data', {
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const upload = new s3deploy.BucketDeployment(stack, 'Upload', {
  sources: [s3deploy.Source.asset(path.join(__dirname, '..', '..', 'examples', 'data'))],
  destinationBucket: bucket,
  destinationKeyPrefix: 'interactions/',
});
const datasetGroup = new DatasetGroup(stack, 'Group', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: `${INTEG_PREFIX}group` });
const interactions = new Dataset(stack, 'Interactions', {
  datasetGroup,
  schema: Schema.interactions(stack, 'Schema', { fields: [SchemaField.ofString('EVENT_TYPE')] }),
  importSource: { bucket, prefix: 'interactions/' },
});
interactions.node.addDependency(upload);

// The seed's HPO request on User-Personalization, as small as HPO allows to stay cheap.
// Its name is generated (`CdkPersonalizeIntegHpo_Up...`): a new range replaces the solution, and a
// fixed name would collide with the one being replaced.
const solution = new Solution(stack, 'Up', {
  datasetGroup,
  recipe: Recipe.USER_PERSONALIZATION,
  hyperParameters: HyperParameters.userPersonalization({ hiddenDimension: 55 }),
  hpo: {
    ranges: HyperParameterRanges.userPersonalization({
      recencyMask: HyperParameterRange.trueOrFalse(),
      bptt: HyperParameterRange.integer(bpttMin, bpttMax),
    }),
    maxNumberOfTrainingJobs: 2,
    maxParallelTrainingJobs: 2,
  },
});
const version = solution.addVersion('Version', { outputPrefix: 'Up', detailedOutputs: true });
const campaignName = `${INTEG_PREFIX}campaign`;
new Campaign(stack, 'Campaign', { campaignName, solutionVersion: version, minProvisionedTps: 1 });

const integ = new IntegTest(app, 'HpoRetrain', {
  testCases: [stack],
  // The hook fails the test when anything named with either prefix outlives the destroy.
  hooks: { postDestroy: [`npx ts-node --transpile-only after-destroy.ts ${INTEG_PREFIX} ${INTEG_STACK}`] },
  diffAssets: false,
});

// The assertions name the test stack's resources by their fixed names, never by its tokens: a
// reference would become an export, and CloudFormation refuses to change an exported value on update.
const campaignArn = `arn:${Aws.PARTITION}:personalize:${Aws.REGION}:${Aws.ACCOUNT_ID}:campaign/${campaignName}`;
const served = integ.assertions.awsApiCall('Personalize', 'describeCampaign', { campaignArn });
// After a retrain (steps 2 and 3) the same campaign serves the new version: updated in place.
served.expect(ExpectedResult.objectLike({
  campaign: step === 1
    ? { status: 'ACTIVE', campaignArn }
    : { status: 'ACTIVE', campaignArn, latestCampaignUpdate: { status: 'ACTIVE' } },
}));
const servedVersion = served.getAttString('campaign.solutionVersionArn');

const trained = integ.assertions.awsApiCall('Personalize', 'describeSolutionVersion', { solutionVersionArn: servedVersion });
trained.expect(ExpectedResult.objectLike({
  solutionVersion: {
    status: 'ACTIVE',
    solutionVersionArn: servedVersion,
    trainingMode: 'FULL',
    // Bare keys, as the simulator answers by default: this settles whether they come prefixed
    // (personalize-facts.md, tunedHPOParams [U]); if they do, the simulator's prefixTunedNames becomes the default.
    tunedHPOParams: { algorithmHyperParameters: { bptt: Match.stringLikeRegexp('^[0-9]+$'), recency_mask: Match.stringLikeRegexp('^(true|false)$') } },
  },
}));
const metrics = integ.assertions.awsApiCall('Personalize', 'getSolutionMetrics', { solutionVersionArn: servedVersion });

// The outputs report what Personalize reports: the served version, its tuned values and its metrics.
// DescribeStacks lists outputs in no promised order: one call per output.
const outputs: Array<[string, string]> = [
  ['UpSolutionVersionArn', servedVersion],
  ['UpStatus', 'ACTIVE'],
  ['UpTunedBptt', trained.getAttString('solutionVersion.tunedHPOParams.algorithmHyperParameters.bptt')],
  ['UpTunedRecencyMask', trained.getAttString('solutionVersion.tunedHPOParams.algorithmHyperParameters.recency_mask')],
  ['UpCoverage', metrics.getAttString('metrics.coverage')],
  ['UpNdcgAt10', metrics.getAttString('metrics.normalized_discounted_cumulative_gain_at_10')],
];
for (const [OutputKey, OutputValue] of outputs) {
  integ.assertions.awsApiCall('CloudFormation', 'describeStacks', { StackName: stack.stackName })
    .expect(ExpectedResult.objectLike({ Stacks: [Match.objectLike({ Outputs: Match.arrayWith([{ OutputKey, OutputValue }]) })] }));
}

// The solution trains on the range of this step (A, then B, then A again).
const tuned = integ.assertions.awsApiCall('Personalize', 'describeSolution', {
  solutionArn: trained.getAttString('solutionVersion.solutionArn'),
});
tuned.expect(ExpectedResult.objectLike({
  solution: {
    solutionConfig: {
      hpoConfig: {
        algorithmHyperParameterRanges: {
          // The documentation shows names echoed with a prefix (`training.bptt`): either passes.
          integerHyperParameterRanges: [{ name: Match.stringLikeRegexp('^(training\\.)?bptt$'), minValue: bpttMin, maxValue: bpttMax }],
        },
      },
    },
  },
}));

// The recipe catalogue's open entries (catalogue-checks.ts): describe calls only, nothing trains.
const recipes = new Map<string, ReturnType<typeof integ.assertions.awsApiCall>>();
for (const check of catalogueChecks()) {
  const recipeArn = `arn:${Aws.PARTITION}:personalize:::recipe/${check.recipe}`;
  let recipe = recipes.get(check.recipe);
  if (!recipe) {
    recipe = integ.assertions.awsApiCall('Personalize', 'describeRecipe', { recipeArn });
    recipe.expect(ExpectedResult.objectLike({ recipe: { recipeArn, status: 'ACTIVE' } }));
    recipes.set(check.recipe, recipe);
  }
  const call = check.api === 'describeAlgorithm'
    ? integ.assertions.awsApiCall('Personalize', 'describeAlgorithm', { algorithmArn: recipe.getAttString('recipe.algorithmArn') })
    : integ.assertions.awsApiCall('Personalize', 'describeFeatureTransformation', {
      featureTransformationArn: recipe.getAttString('recipe.featureTransformationArn'),
    });
  const claim = check.api === 'describeAlgorithm' ? Match.arrayWith([Match.objectLike(check.expected)]) : check.expected;
  call.expect(ExpectedResult.objectLike(nest(check.path, claim)));
}

/** `{ a: { b: value } }` for the path `a.b`. */
function nest(pathInAnswer: string, value: unknown): Record<string, unknown> {
  return pathInAnswer.split('.').reduceRight<any>((inner, key) => ({ [key]: inner }), value);
}
