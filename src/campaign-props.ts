import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { IFilter } from './filter';
import { PromotionPolicy } from './promotion';
import { Recipe } from './recipe';
import { ISolutionVersion } from './solution-version-base';

/**
 * Properties of a campaign.
 */
export interface CampaignProps {
  /** The trained model the campaign serves. */
  readonly solutionVersion: ISolutionVersion;

  /**
   * The name of the campaign, unique per account and region (1 to 63 characters).
   * @default - a name generated from the construct path
   */
  readonly campaignName?: string;

  /**
   * The transactions per second the campaign is always provisioned for. Billed by the hour whether
   * used or not; Personalize scales above it on demand.
   * @default 1
   */
  readonly minProvisionedTps?: number;

  /**
   * The recipe of the solution version, for checking recipe-specific settings.
   * @default - the recipe of the version's solution, when known
   * @deprecated import the version with `SolutionVersion.fromSolutionVersionAttributes` and a solution
   * that knows its recipe (`Solution.fromSolutionAttributes` with `recipe`)
   */
  readonly recipe?: Recipe;

  /**
   * How much to recommend items with few interactions, from 0 (none) to 1 (mostly). Only for
   * recipes with item exploration (`Recipe.supportsItemExploration`).
   * @default - Personalize's default
   */
  readonly explorationWeight?: number;

  /**
   * How old an item may be, counted back from the latest interaction, to be explored: at least a day.
   * Only for recipes with item exploration (`Recipe.supportsItemExploration`).
   * @default - Personalize's default
   */
  readonly explorationItemAgeCutOff?: Duration;

  /**
   * Serve the solution's latest active version, and move to each new one as it is trained. The
   * campaign then refers to the solution (`<solution ARN>/$LATEST`), so the served version must be
   * a `SolutionVersion`; it is the first version the campaign serves.
   * @default false
   */
  readonly syncWithLatestSolutionVersion?: boolean;

  /**
   * Whether recommendations may include item metadata (columns of the Items dataset). Requests
   * still choose the columns.
   * @default false
   */
  readonly enableMetadataWithRecommendations?: boolean;

  /**
   * How much newer or more popular items rise in the ranking. Only for the Semantic-Similarity recipe.
   * @default - no influence
   */
  readonly rankingInfluence?: RankingInfluence;

  /**
   * Filters that requests to this campaign use: checked against the recipe, and covered by the
   * campaign's grant of recommendations. More can be added later.
   * @default - none
   */
  readonly filters?: IFilter[];

  /**
   * Move to a newly trained version only when it beats the served one on an offline metric. The
   * first version is served as it is; a version that loses leaves the served one in place and the
   * stack output `<path>Promotion` says why, with both values.
   * @default - every newly trained version is served
   */
  readonly promotion?: PromotionPolicy;

  /**
   * What happens to the campaign when the stack is deleted or a change replaces it. A campaign is
   * billed for every hour it is active, so it is deleted by default; a retained campaign keeps
   * serving, and needs the solution it serves retained too.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Weights, from 0 to 1, by which item traits raise an item in a campaign's ranking.
 */
export interface RankingInfluence {
  /**
   * How much newer items rise.
   * @default - no influence
   */
  readonly freshness?: number;

  /**
   * How much more popular items rise.
   * @default - no influence
   */
  readonly popularity?: number;
}
