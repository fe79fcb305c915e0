import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../examples/app';
import { BatchInferenceJob, BatchSegmentJob } from '../../src/batch-job';
import { Dataset } from '../../src/dataset';
import { iamActionOf, SdkPersonalizeApi, type PersonalizeOperation } from '../../src/handlers/aws/personalize-api';
import { Recipe } from '../../src/recipe';
import { Schema } from '../../src/schema';
import { SchemaField } from '../../src/schema-field';
import { Solution } from '../../src/solution';
import { SolutionVersion } from '../../src/solution-version';

/**
 * The handlers reach Personalize only through PersonalizeApi, so its methods are every operation
 * they call; each needs a grant on the role of the function that calls it, or the deploy fails with
 * AccessDenied in a real account (the simulator does not check IAM).
 */

/** Every operation of the API, read from the implementation (a new method is checked without a list to update). */
const OPERATIONS = Object.getOwnPropertyNames(SdkPersonalizeApi.prototype)
  .filter((name) => name !== 'constructor') as PersonalizeOperation[];

/** What the job poller calls: it reads the jobs it waits for and stops versions, nothing else. */
const POLLER_OPERATIONS: PersonalizeOperation[] = [
  'describeSolutionVersion', 'stopSolutionVersionCreation', 'describeDatasetImportJob', 'describeBatchInferenceJob', 'describeBatchSegmentJob',
];

/** Every action the policies attached to the role whose logical id contains `roleId` allow. */
function allowedActions(template: Template, roleId: string): Set<string> {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.includes(roleId));
  expect(roles).toHaveLength(1);
  const actions = new Set<string>();
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const attached = (policy.Properties.Roles ?? []).some((ref: { Ref?: string }) => ref.Ref === roles[0]);
    if (!attached) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      for (const action of [statement.Action].flat()) actions.add(action);
    }
  }
  return actions;
}

test('PersonalizeApi lists the operations the handlers call', () => {
  expect(OPERATIONS).toEqual(expect.arrayContaining([
    'createSolution', 'describeSolution', 'updateSolution', 'deleteSolution', 'createSolutionVersion',
    'describeSolutionVersion', 'listSolutionVersions', 'stopSolutionVersionCreation', 'getSolutionMetrics',
    'tagResource', 'untagResource', 'createDatasetImportJob', 'describeDatasetImportJob',
  ]));
  expect(iamActionOf('createDatasetImportJob')).toBe('personalize:CreateDatasetImportJob');
});

describe('each operation has its IAM grant', () => {
  // The example app has solutions, versions and a dataset import; batch jobs and an Actions dataset are added here.
  const { stack } = buildExampleApp();
  const io = { input: { bucket: stack.bucket, prefix: 'batch/in/' }, output: { bucket: stack.bucket, prefix: 'batch/out/' } };
  new BatchInferenceJob(stack, 'Batch', { solutionVersion: stack.userPersonalizationVersion, ...io });
  const segments = SolutionVersion.fromSolutionVersionArn(stack, 'Segments', `arn:aws:personalize:${stack.region}:${stack.account}:solution/affinity/a1b2c3d4`);
  new BatchSegmentJob(stack, 'Segment', { solutionVersion: segments, ...io });
  // And an Actions dataset, which a custom resource creates.
  new Dataset(stack, 'Actions', { datasetGroup: stack.datasetGroup, schema: Schema.actions(stack, 'ActionsSchema', { fields: [SchemaField.categorical('CHANNEL')] }) });
  const template = Template.fromStack(stack);

  test.each(OPERATIONS)('the provider\'s handler role may call %s', (operation) => {
    expect([...allowedActions(template, 'HandlerRole')]).toContain(iamActionOf(operation));
  });

  test.each(POLLER_OPERATIONS)('the job poller\'s role may call %s', (operation) => {
    expect([...allowedActions(template, 'PollerRole')]).toContain(iamActionOf(operation));
  });

  test('a version of an imported solution gets the version operations too', () => {
    const app = new App();
    const imported = new Stack(app, 'Imported', { env: { account: '123456789012', region: 'us-east-1' } });
    const solution = Solution.fromSolutionAttributes(imported, 'S', {
      solutionArn: 'arn:aws:personalize:us-east-1:123456789012:solution/existing',
      recipe: Recipe.USER_PERSONALIZATION,
    });
    new SolutionVersion(imported, 'V', { solution });
    const actions = allowedActions(Template.fromStack(imported), 'HandlerRole');
    for (const operation of ['createSolutionVersion', 'describeSolutionVersion', 'listSolutionVersions', 'stopSolutionVersionCreation',
      'getSolutionMetrics', 'tagResource', 'untagResource'] as PersonalizeOperation[]) {
      expect([...actions]).toContain(iamActionOf(operation));
    }
  });
});
