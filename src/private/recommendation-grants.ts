import * as iam from 'aws-cdk-lib/aws-iam';

/** What a campaign's recommendations take (a recommender's take GetRecommendations only). */
export const CAMPAIGN_RECOMMENDATION_ACTIONS = ['personalize:GetRecommendations', 'personalize:GetPersonalizedRanking'];

/** A filter as far as grants go. */
interface GrantableFilter {
  readonly filterArn: string;
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
}

/**
 * The grants of recommendations of a campaign or recommender, and the filters requests may use (a
 * request with a filterArn is authorised on the filter too): whatever the order of grants and
 * filters, every grantee may use every filter.
 */
export class RecommendationGrants {
  private readonly filters: GrantableFilter[] = [];
  private readonly grantees: iam.IGrantable[] = [];

  constructor(private readonly actions: string[]) {}

  /** Grants recommendations from `resourceArn` and every filter added so far or later. */
  public grant(grantee: iam.IGrantable, resourceArn: string): iam.Grant {
    this.grantees.push(grantee);
    return iam.Grant.addToPrincipal({ grantee, actions: this.actions, resourceArns: [resourceArn, ...this.filters.map(f => f.filterArn)] });
  }

  /** Adds a filter: every grantee so far may use it too. */
  public addFilter(filter: GrantableFilter): void {
    this.filters.push(filter);
    for (const grantee of this.grantees) {
      filter.grant(grantee, ...this.actions);
    }
  }
}
