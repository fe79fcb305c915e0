import * as path from 'path';
import { App, CfnOutput, CustomResource, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import {
  Campaign, Dataset, DatasetGroup, EventTracker, Filter, FilterExpression, FilterField, FilterValue, HyperParameterRange,
  HyperParameterRanges, HyperParameters, OfflineMetric, Recipe, Schema, SchemaField, Solution, SolutionVersion,
} from '../src';

/** Where the sample interactions go in the data bucket (a folder: Personalize imports every CSV in it). */
export const INTERACTIONS_PREFIX = 'interactions/';

/**
 * The example app: sample interactions uploaded to S3 and imported into a dataset group,
 * the HPO request of Personalize's documentation on the current User-Personalization recipe and
 * the same tuning on Personalized-Ranking, each trained during the deploy on the imported data, and
 * a campaign serving the User-Personalization version (a retraining only when it beats the served one), with a filter that leaves out what a user
 * already bought and an event tracker that records new interactions. (The documentation's own request uses
 * HRNN, which Personalize no longer offers for new solutions; the tests keep it as a fixture.)
 */
/** Properties of the example stack. */
export interface HpoExampleStackProps extends StackProps {
  /**
   * A new value imports the data again and retrains both solutions (e.g. each week); the campaign
   * then serves the new version only if it is better.
   * @default - train once
   */
  readonly retrainTrigger?: string;
}

export class HpoExampleStack extends Stack {
  public readonly bucket: s3.Bucket;
  public readonly datasetGroup: DatasetGroup;
  public readonly interactions: Dataset;
  public readonly ranking: Solution;
  public readonly userPersonalization: Solution;
  public readonly userPersonalizationVersion: SolutionVersion;
  public readonly campaign: Campaign;
  public readonly notPurchased: Filter;
  public readonly eventTracker: EventTracker;

  constructor(scope: Construct, id: string, props: HpoExampleStackProps = {}) {
    super(scope, id, props);
    const retrainTrigger = props.retrainTrigger;

    // The data. The bucket outlives the stack (the default removal policy, and no automatic
    // deletion of objects): it holds the data, and emptying it would take one more custom resource.
    this.bucket = new s3.Bucket(this, 'DataBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });
    // examples/data/interactions.csv (from examples/generate-interactions.ts), to the prefix.
    const upload = new s3deploy.BucketDeployment(this, 'InteractionsUpload', {
      sources: [s3deploy.Source.asset(path.join(__dirname, 'data'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: INTERACTIONS_PREFIX,
    });

    // An example: destroy deletes the group, its data and its solutions (by default they are kept).
    const datasetGroup = new DatasetGroup(this, 'DatasetGroup', { removalPolicy: RemovalPolicy.DESTROY, datasetGroupName: 'hpo-example' });
    this.datasetGroup = datasetGroup;
    const schema = Schema.interactions(this, 'InteractionsSchema', { fields: [SchemaField.ofString('EVENT_TYPE')] });
    // The import completes before any version of the group trains.
    this.interactions = new Dataset(this, 'Interactions', {
      datasetGroup,
      schema,
      importSource: { bucket: this.bucket, prefix: INTERACTIONS_PREFIX, importTrigger: retrainTrigger },
    });
    // ... and starts only once the data is in the bucket.
    for (const child of this.interactions.node.findAll()) {
      if (child instanceof CustomResource) {
        child.node.addDependency(upload);
      }
    }

    // The documentation's HPO request on a current recipe that takes the same hyperparameters.
    this.ranking = new Solution(this, 'Ranking', {
      datasetGroup,
      recipe: Recipe.PERSONALIZED_RANKING,
      hyperParameters: HyperParameters.personalizedRanking({ hiddenDimension: 55 }),
      hpo: {
        ranges: HyperParameterRanges.personalizedRanking({
          recencyMask: HyperParameterRange.trueOrFalse(),
          bptt: HyperParameterRange.integer(16, 32),
        }),
        maxNumberOfTrainingJobs: 4,
        maxParallelTrainingJobs: 2,
      },
    });
    this.ranking.addVersion('Version', { retrainTrigger });

    // The same tuning on the recipe that replaced HRNN.
    this.userPersonalization = new Solution(this, 'UserPersonalization', {
      datasetGroup,
      recipe: Recipe.USER_PERSONALIZATION,
      hyperParameters: HyperParameters.userPersonalization({ hiddenDimension: 55 }),
      hpo: {
        ranges: HyperParameterRanges.userPersonalization({
          recencyMask: HyperParameterRange.trueOrFalse(),
          bptt: HyperParameterRange.integer(16, 32),
        }),
        maxNumberOfTrainingJobs: 4,
        maxParallelTrainingJobs: 2,
      },
    });
    this.userPersonalizationVersion = this.userPersonalization.addVersion('Version', { retrainTrigger });

    // Serving: recommendations leave out what the user already bought; new events come in through the tracker.
    this.notPurchased = new Filter(this, 'NotPurchased', {
      datasetGroup,
      expression: FilterExpression.excludeItems(FilterField.eventType().isIn(FilterValue.strings('purchase'))),
    });
    this.eventTracker = new EventTracker(this, 'EventTracker', { datasetGroup });
    // A retraining serves only when its NDCG@10 beats the served version's by half a point.
    this.campaign = new Campaign(this, 'Campaign', {
      solutionVersion: this.userPersonalizationVersion,
      minProvisionedTps: 1,
      filters: [this.notPurchased],
      promotion: { metric: OfflineMetric.NDCG_AT_10, minImprovement: 0.005 },
    });

    new CfnOutput(this, 'DataBucketName', { value: this.bucket.bucketName, description: 'The bucket holding the sample interactions' });
    new CfnOutput(this, 'DatasetGroupArn', { value: datasetGroup.datasetGroupArn });
    new CfnOutput(this, 'InteractionsImportJobArn', { value: this.interactions.datasetImportJobArn! });
    new CfnOutput(this, 'CampaignArn', { value: this.campaign.campaignArn, description: 'Serves the User-Personalization version' });
    new CfnOutput(this, 'NotPurchasedFilterArn', { value: this.notPurchased.filterArn, description: 'GetRecommendations filterArn: leaves out purchased items' });
    new CfnOutput(this, 'EventTrackerTrackingId', { value: this.eventTracker.trackingId, description: 'The trackingId of PutEvents requests' });
  }
}

/** Builds the example app; `outdir` is where the cloud assembly goes. */
export function buildExampleApp(outdir?: string, retrainTrigger?: string): { app: App; stack: HpoExampleStack } {
  const app = new App({ outdir });
  const stack = new HpoExampleStack(app, 'PersonalizeHpoExample', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT ?? '000000000000', region: process.env.CDK_DEFAULT_REGION ?? 'us-west-2' },
    retrainTrigger,
  });
  return { app, stack };
}

if (require.main === module) {
  buildExampleApp().app.synth();
}
