import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DatasetGroup, HyperParameterRange, HyperParameterRanges, HyperParameters, Recipe, Solution,
} from '../src';

/**
 * The example app: Personalize's documented HRNN request with HPO, and the same HPO on the
 * current User-Personalization recipe, each trained during the deploy.
 */
export class HpoExampleStack extends Stack {
  public readonly hrnn: Solution;
  public readonly userPersonalization: Solution;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const datasetGroup = new DatasetGroup(this, 'DatasetGroup', { datasetGroupName: 'hpo-example' });

    // The CreateSolution request of the Personalize documentation, written with the typed API.
    this.hrnn = new Solution(this, 'Hrnn', {
      datasetGroup,
      recipe: Recipe.HRNN,
      hyperParameters: HyperParameters.hrnn({ hiddenDimension: 55 }),
      hpo: {
        ranges: HyperParameterRanges.hrnn({
          recencyMask: HyperParameterRange.boolean(),
          bptt: HyperParameterRange.integer(20, 40),
        }),
        maxNumberOfTrainingJobs: 4,
        maxParallelTrainingJobs: 2,
      },
    });
    this.hrnn.addVersion('Version');

    // The same tuning on the recipe that replaced HRNN.
    this.userPersonalization = new Solution(this, 'UserPersonalization', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      hyperParameters: HyperParameters.userPersonalization({ hiddenDimension: 55 }),
      hpo: {
        ranges: HyperParameterRanges.userPersonalization({
          recencyMask: HyperParameterRange.boolean(),
          bptt: HyperParameterRange.integer(20, 40),
        }),
        maxNumberOfTrainingJobs: 4,
        maxParallelTrainingJobs: 2,
      },
    });
    this.userPersonalization.addVersion('Version');
  }
}

/** Builds the example app; `outdir` is where the cloud assembly goes. */
export function buildExampleApp(outdir?: string): { app: App; stack: HpoExampleStack } {
  const app = new App({ outdir });
  const stack = new HpoExampleStack(app, 'PersonalizeHpoExample', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT ?? '000000000000', region: process.env.CDK_DEFAULT_REGION ?? 'us-west-2' },
  });
  return { app, stack };
}

if (require.main === module) {
  buildExampleApp().app.synth();
}
