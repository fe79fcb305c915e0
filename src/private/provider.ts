import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { RETRY_BUDGET_ENV } from './contract';
import { MergedPolicy } from './merged-policy';
import { acknowledgeNag, NagReason, wildcardArn } from './nag';
import { stackLimitProblems } from './stack-limits';
import { IsCompleteFunction } from '../handlers/is-complete-function';
import { OnEventFunction } from '../handlers/on-event-function';

const PROVIDER_ID = 'CdkPersonalizeProvider';
const HANDLER_TIMEOUT = Duration.minutes(6);

/**
 * The one custom-resource provider per stack that serves every Personalize custom resource of
 * this library: an onEvent handler that starts work and an isComplete handler that waits for it.
 */
/** Why each AwsSolutions finding on the provider stands (see nag.ts). */
const PROVIDER_NAG_REASONS: NagReason[] = [
  {
    rule: wildcardArn('personalize', 'solution/\\*'),
    reason: 'A campaign\'s promotion gate reads the metrics and description (read-only) of the version the campaign serves, which may belong to any solution it served before',
  },
  {
    rule: wildcardArn('personalize', 'campaign/\\*'),
    reason: 'Before deleting a replaced solution, the handlers read (DescribeCampaign, read-only) each campaign ListCampaigns names for it, which may be any campaign',
  },
  {
    rule: wildcardArn('personalize', 'solution/[^*]+(-\\*|/\\*|-\\*/\\*|_\\*)'),
    reason: 'Solution versions get ids from Personalize (NAME/*), a replaced solution with a generated name gets a suffix (NAME-*), and the stack\'s generated names start with STACKNAME_',
  },
  {
    rule: wildcardArn('personalize', '(dataset-import-job|batch-inference-job|batch-segment-job)/[^*]+-\\*'),
    reason: 'Import and batch job names get a suffix per request or per settings; the prefix is the dataset\'s or the batch job\'s own',
  },
  { rule: 'AwsSolutions-IAM5[Resource::*]', reason: 'ListSolutions, ListSolutionVersions and the other List operations can only be granted on *' },
  {
    rule: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>:\*\]$/,
    reason: 'Invoking a Lambda function includes its versions (ARN:*), as aws-cdk-lib\'s provider framework grants it',
  },
  {
    rule: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    reason: 'The functions of aws-cdk-lib\'s custom resource provider framework come with their own role',
  },
  { rule: 'AwsSolutions-L1', reason: 'The handlers are pinned to nodejs22.x, which their bundles target and are tested on; the provider framework\'s functions pick their own runtime' },
  { rule: 'AwsSolutions-SF1', reason: 'The provider framework\'s waiter state machine is configured by aws-cdk-lib' },
  { rule: 'AwsSolutions-SF2', reason: 'The provider framework\'s waiter state machine is configured by aws-cdk-lib' },
];

export class PersonalizeProvider extends Construct {
  /** Returns the stack's provider, creating it on first use. */
  public static of(scope: IConstruct): PersonalizeProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    return (existing as PersonalizeProvider | undefined) ?? new PersonalizeProvider(stack, PROVIDER_ID);
  }

  /** The service token custom resources point at. */
  public readonly serviceToken: string;

  /** The role both handlers run as; constructs add what they need to it. */
  public readonly role: iam.IRole;

  private readonly policy: MergedPolicy;

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-personalize custom resource handlers',
    });
    this.role = role;
    this.policy = new MergedPolicy(role);

    const handlerOptions = (name: string) => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }));
      return {
        role,
        logGroup,
        timeout: HANDLER_TIMEOUT,
        // Retry a throttled or refused create for up to 4 minutes, within the function's timeout.
        environment: { [RETRY_BUDGET_ENV]: String(HANDLER_TIMEOUT.minus(Duration.minutes(2)).toSeconds()) },
        memorySize: 256,
        description: `cdk-personalize: Personalize custom resources (${name})`,
      };
    };
    const onEvent = new OnEventFunction(this, 'OnEvent', handlerOptions('OnEvent'));
    const isComplete = new IsCompleteFunction(this, 'IsComplete', handlerOptions('IsComplete'));

    const provider = new Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      // Creating or deleting a solution takes minutes; stopping a training before deleting can take longer.
      queryInterval: Duration.seconds(15),
      totalTimeout: Duration.hours(1),
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    this.serviceToken = provider.serviceToken;
    acknowledgeNag(this, PROVIDER_NAG_REASONS);
    // Checked once per stack: CloudFormation would refuse the template only at deploy.
    scope.node.addValidation({ validate: () => stackLimitProblems(Stack.of(this)) });
  }

  /** Allows the handlers to call `actions` on `resources`. */
  public allow(actions: string[], resources: string[]): void {
    this.policy.allow(actions, resources);
  }
}
