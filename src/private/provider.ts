import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { RETRY_BUDGET_ENV } from './contract';
import { MergedPolicy } from './merged-policy';
import { stackLimitProblems } from './stack-limits';
import { IsCompleteFunction } from '../handlers/is-complete-function';
import { OnEventFunction } from '../handlers/on-event-function';

const PROVIDER_ID = 'CdkPersonalizeProvider';
const HANDLER_TIMEOUT = Duration.minutes(6);

/**
 * The one custom-resource provider per stack that serves every Personalize custom resource of
 * this library: an onEvent handler that starts work and an isComplete handler that waits for it.
 */
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
    // Checked once per stack: CloudFormation would refuse the template only at deploy.
    scope.node.addValidation({ validate: () => stackLimitProblems(Stack.of(this)) });
  }

  /** Allows the handlers to call `actions` on `resources`. */
  public allow(actions: string[], resources: string[]): void {
    this.policy.allow(actions, resources);
  }
}
