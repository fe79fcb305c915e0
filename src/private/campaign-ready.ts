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

  constructor(scope: Construct, id: string, campaign: CfnCampaign, campaignName: string) {
    super(scope, id);
    const provider = PersonalizeProvider.of(this);
    provider.allow(['personalize:DescribeCampaign'], [
      Stack.of(this).formatArn({ service: 'personalize', resource: 'campaign', resourceName: campaignName }),
    ]);
    const config = campaign.campaignConfig;
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CAMPAIGN_READY_RESOURCE_TYPE,
      properties: {
        [CampaignReadyKeys.CAMPAIGN_ARN]: campaign.attrCampaignArn,
        [CampaignReadyKeys.SOLUTION_VERSION_ARN]: campaign.solutionVersionArn,
        [CampaignReadyKeys.MIN_PROVISIONED_TPS]: campaign.minProvisionedTps,
        [CampaignReadyKeys.CAMPAIGN_CONFIG]: config === undefined ? '' : Stack.of(this).toJsonString(config),
      },
    });
    this.campaignArn = resource.getAttString(CampaignReadyAttributes.CAMPAIGN_ARN);
  }
}
