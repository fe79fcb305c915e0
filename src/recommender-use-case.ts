import { Aws } from 'aws-cdk-lib';
import { DatasetGroupDomain } from './dataset-group';

/**
 * A use case of a domain dataset group: what a recommender recommends. Each belongs to one domain.
 */
export class RecommenderUseCase {
  /** E-commerce, "Most viewed": popular items by views (needs `View` events). */
  public static readonly MOST_VIEWED = new RecommenderUseCase('aws-ecomm-popular-items-by-views', DatasetGroupDomain.ECOMMERCE, false, false);
  /** E-commerce, "Best sellers": popular items by purchases (needs `Purchase` events). */
  public static readonly BEST_SELLERS = new RecommenderUseCase('aws-ecomm-popular-items-by-purchases', DatasetGroupDomain.ECOMMERCE, false, false);
  /** E-commerce, "Frequently bought together" with an item (needs `Purchase` events). */
  public static readonly FREQUENTLY_BOUGHT_TOGETHER = new RecommenderUseCase('aws-ecomm-frequently-bought-together', DatasetGroupDomain.ECOMMERCE, false, true);
  /** E-commerce, "Customers who viewed X also viewed". */
  public static readonly CUSTOMERS_WHO_VIEWED_X_ALSO_VIEWED = new RecommenderUseCase('aws-ecomm-customers-who-viewed-x-also-viewed', DatasetGroupDomain.ECOMMERCE, false, true);
  /** E-commerce, "Recommended for you": personalized items for a user. */
  public static readonly RECOMMENDED_FOR_YOU = new RecommenderUseCase('aws-ecomm-recommended-for-you', DatasetGroupDomain.ECOMMERCE, true, false);
  /** Video on demand, "Because you watched X". */
  public static readonly BECAUSE_YOU_WATCHED_X = new RecommenderUseCase('aws-vod-because-you-watched-x', DatasetGroupDomain.VIDEO_ON_DEMAND, false, true);
  /** Video on demand, "More like X". */
  public static readonly MORE_LIKE_X = new RecommenderUseCase('aws-vod-more-like-x', DatasetGroupDomain.VIDEO_ON_DEMAND, false, true);
  /** Video on demand, "Most popular". */
  public static readonly MOST_POPULAR = new RecommenderUseCase('aws-vod-most-popular', DatasetGroupDomain.VIDEO_ON_DEMAND, false, false);
  /** Video on demand, "Trending now". */
  public static readonly TRENDING_NOW = new RecommenderUseCase('aws-vod-trending-now', DatasetGroupDomain.VIDEO_ON_DEMAND, false, false);
  /** Video on demand, "Top picks for you": personalized items for a user. */
  public static readonly TOP_PICKS = new RecommenderUseCase('aws-vod-top-picks', DatasetGroupDomain.VIDEO_ON_DEMAND, true, false);

  /**
   * A use case this library does not list yet (an escape hatch): its item exploration settings are
   * sent unchecked.
   *
   * @param recipeName the use case's recipe name, e.g. `aws-ecomm-recommended-for-you`
   * @param domain the domain it belongs to
   */
  public static of(recipeName: string, domain: DatasetGroupDomain): RecommenderUseCase {
    return new RecommenderUseCase(recipeName, domain, undefined, undefined);
  }

  /** The recipe ARN CreateRecommender takes. */
  public readonly recipeArn: string;

  private constructor(
    /** The use case's recipe name. */
    public readonly recipeName: string,
    /** The domain the use case belongs to. */
    public readonly domain: DatasetGroupDomain,
    /** @internal Whether it takes item exploration settings; undefined when not known. */
    public readonly _itemExploration: boolean | undefined,
    /** @internal Whether requests name an item (`itemId`), so that filters may use CurrentItem; undefined when not known. */
    public readonly _relatedItems?: boolean,
  ) {
    this.recipeArn = `arn:${Aws.PARTITION}:personalize:::recipe/${recipeName}`;
  }
}
