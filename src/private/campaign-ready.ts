import { CustomResource, Stack } from 'aws-cdk-lib';
import { CfnCampaign } from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';
import { CAMPAIGN_READY_RESOURCE_TYPE, CampaignReadyAttributes, CampaignReadyKeys } from './contract';
import { PersonalizeProvider } from './provider';

/**
 * Waits at deploy time until a campaign's creation or latest update is ACTIVE:
 * `Custom::PersonalizeCampaignReady`, whose `CampaignArn` attribute is the campaign's ARN for
 * everything that depends on the campaign.
 */
export class CampaignReady extends Construct {
  /** The campaign's ARN, resolved once the campaign serves what its template asks for. */
  public readonly campaignArn: string;

  /**
   * @param cleansUpRetired whether, once settled, the stack's retired solutions the campaign no
   * longer serves are deleted (for a gated campaign, which may keep a version of a replaced solution)
   */
  constructor(scope: Construct, id: string, campaign: CfnCampaign, campaignName: string, cleansUpRetired: boolean) {
    super(scope, id);
    const provider = PersonalizeProvider.of(this);
    const stack = Stack.of(this);
    provider.allow(['personalize:DescribeCampaign'], [stack.formatArn({ service: 'personalize', resource: 'campaign', resourceName: campaignName })]);
    if (cleansUpRetired) {
      // Retired solutions are the stack's own: their solutions grant deleting and reading tags.
      provider.allow(['personalize:DescribeSolutionVersion'], [stack.formatArn({ service: 'personalize', resource: 'solution', resourceName: '*' })]);
      allowServingChecks(provider, stack);
    }
    const config = campaign.campaignConfig;
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CAMPAIGN_READY_RESOURCE_TYPE,
      properties: {
        [CampaignReadyKeys.CAMPAIGN_ARN]: campaign.attrCampaignArn,
        [CampaignReadyKeys.SOLUTION_VERSION_ARN]: campaign.solutionVersionArn,
        [CampaignReadyKeys.MIN_PROVISIONED_TPS]: campaign.minProvisionedTps,
        [CampaignReadyKeys.CAMPAIGN_CONFIG]: config === undefined ? '' : stack.toJsonString(config),
        [CampaignReadyKeys.CLEANS_UP_RETIRED]: cleansUpRetired || undefined,
      },
    });
    this.campaignArn = resource.getAttString(CampaignReadyAttributes.CAMPAIGN_ARN);
  }
}

/**
 * What deciding whether a campaign serves a solution takes: listing the solution's campaigns and
 * reading each (any campaign of the account and region may serve it), and listing solutions.
 */
export function allowServingChecks(provider: PersonalizeProvider, stack: Stack): void {
  provider.allow(['personalize:ListCampaigns', 'personalize:ListSolutions'], ['*']);
  provider.allow(['personalize:DescribeCampaign'], [stack.formatArn({ service: 'personalize', resource: 'campaign', resourceName: '*' })]);
}
