/**
 * The fields Personalize gives a meaning to, per dataset type and per domain. Sources: the developer
 * guide's "Custom datasets and schemas" page, the pages of each dataset type, and the ECOMMERCE and
 * VIDEO_ON_DEMAND "datasets and schemas" pages (required fields and reserved keywords).
 */

/** A rule of the schema checks that is not verified: it warns (see UNSURE_RULES in schema-rules.ts). */
export type ReservedFieldRule = 'typeNotDocumented' | 'actionNumberTypes';

export interface ReservedField {
  readonly name: string;
  /** Allowed types, the first being the one the builder adds. */
  readonly types: string[];
  /** Whether every schema of the dataset type needs it. Required fields cannot be optional. */
  readonly required: boolean;
  /**
   * For string fields: `true` when the guide lists it as a categorical string (it must be
   * categorical), `false` when it lists a plain string keyword (it cannot be); undefined when unstated.
   */
  readonly categorical?: boolean;
  /** Whether the guide lists it as a textual string (it must be textual). */
  readonly textual?: boolean;
  /** Types the guide does not give here but that are believed accepted: they warn under `unsure`. */
  readonly unsureTypes?: string[];
  /** The unsure rule this row states, if it is one. */
  readonly unsure?: ReservedFieldRule;
}

/** The guide gives float for EVENT_VALUE and the domains' numbers; double has been believed accepted too. */
const FLOAT: Pick<ReservedField, 'types' | 'unsureTypes' | 'unsure'> = { types: ['float'], unsureTypes: ['double'], unsure: 'typeNotDocumented' };
const CATEGORICAL: Pick<ReservedField, 'types' | 'categorical'> = { types: ['string'], categorical: true };
const PLAIN_STRING: Pick<ReservedField, 'types' | 'categorical'> = { types: ['string'], categorical: false };

const ACTION_NUMBERS = ['int', 'float', 'double'];

/** The fields of custom dataset groups, per dataset type. */
const CUSTOM: Record<string, ReservedField[]> = {
  Interactions: [
    { name: 'USER_ID', types: ['string'], required: true },
    { name: 'ITEM_ID', types: ['string'], required: true },
    { name: 'TIMESTAMP', types: ['long'], required: true },
    { name: 'EVENT_TYPE', types: ['string'], required: false },
    { name: 'EVENT_VALUE', ...FLOAT, required: false },
    { name: 'IMPRESSION', types: ['string'], required: false },
    { name: 'RECOMMENDATION_ID', types: ['string'], required: false },
    { name: 'EVENT_ATTRIBUTION_SOURCE', types: ['string'], required: false },
  ],
  Items: [
    { name: 'ITEM_ID', types: ['string'], required: true },
    { name: 'CREATION_TIMESTAMP', types: ['long'], required: false },
  ],
  Users: [
    { name: 'USER_ID', types: ['string'], required: true },
  ],
  // actions-datasets.md, action-dataset-requirements.md: epoch seconds; a repeat frequency in days.
  Actions: [
    { name: 'ACTION_ID', types: ['string'], required: true },
    { name: 'ACTION_EXPIRATION_TIMESTAMP', types: ['long'], required: false },
    { name: 'CREATION_TIMESTAMP', types: ['long'], required: false },
    // The guide's example gives VALUE a long and states no type for either: other numbers only warn.
    { name: 'REPEAT_FREQUENCY', types: ['long'], unsureTypes: ACTION_NUMBERS, required: false, unsure: 'actionNumberTypes' },
    { name: 'VALUE', types: ['long'], unsureTypes: ACTION_NUMBERS, required: false, unsure: 'actionNumberTypes' },
  ],
  // action-interactions-dataset-requirements.md.
  Action_Interactions: [
    { name: 'USER_ID', types: ['string'], required: true },
    { name: 'ACTION_ID', types: ['string'], required: true },
    { name: 'TIMESTAMP', types: ['long'], required: true },
    { name: 'EVENT_TYPE', types: ['string'], required: true },
  ],
};

/** Interactions of both domains: EVENT_TYPE is required, and the reserved strings cannot be categorical. */
const DOMAIN_INTERACTIONS: ReservedField[] = [
  { name: 'USER_ID', types: ['string'], required: true },
  { name: 'ITEM_ID', types: ['string'], required: true },
  { name: 'TIMESTAMP', types: ['long'], required: true },
  { name: 'EVENT_TYPE', types: ['string'], required: true },
  { name: 'EVENT_VALUE', ...FLOAT, required: false },
  { name: 'IMPRESSION', ...PLAIN_STRING, required: false },
  { name: 'RECOMMENDATION_ID', ...PLAIN_STRING, required: false },
  { name: 'EVENT_ATTRIBUTION_SOURCE', ...PLAIN_STRING, required: false },
];

/** The fields of domain dataset groups, per domain and dataset type. */
const DOMAINS: Record<string, Record<string, ReservedField[]>> = {
  ECOMMERCE: {
    Interactions: DOMAIN_INTERACTIONS,
    Users: [{ name: 'USER_ID', types: ['string'], required: true }],
    Items: [
      { name: 'ITEM_ID', types: ['string'], required: true },
      { name: 'PRICE', ...FLOAT, required: true },
      { name: 'CATEGORY_L1', ...CATEGORICAL, required: true },
      { name: 'CATEGORY_L2', ...CATEGORICAL, required: false },
      { name: 'CATEGORY_L3', ...CATEGORICAL, required: false },
      { name: 'PRODUCT_DESCRIPTION', types: ['string'], textual: true, required: false },
      // The ECOMMERCE Items page gives float here, every other page long: both are accepted, float warns.
      { name: 'CREATION_TIMESTAMP', types: ['long'], unsureTypes: ['float'], unsure: 'typeNotDocumented', required: false },
      { name: 'AGE_GROUP', ...CATEGORICAL, required: false },
      { name: 'ADULT', ...CATEGORICAL, required: false },
      { name: 'GENDER', ...CATEGORICAL, required: false },
    ],
  },
  VIDEO_ON_DEMAND: {
    Interactions: DOMAIN_INTERACTIONS,
    Users: [
      { name: 'USER_ID', types: ['string'], required: true },
      { name: 'SUBSCRIPTION_MODEL', ...CATEGORICAL, required: false },
    ],
    Items: [
      { name: 'ITEM_ID', types: ['string'], required: true },
      { name: 'GENRES', ...CATEGORICAL, required: true },
      { name: 'CREATION_TIMESTAMP', types: ['long'], required: true },
      { name: 'PRICE', ...FLOAT, required: false },
      { name: 'DURATION', ...FLOAT, required: false },
      { name: 'GENRE_L2', ...CATEGORICAL, required: false },
      { name: 'GENRE_L3', ...CATEGORICAL, required: false },
      { name: 'AVERAGE_RATING', ...FLOAT, required: false },
      { name: 'PRODUCT_DESCRIPTION', types: ['string'], textual: true, required: false },
      { name: 'CONTENT_OWNER', ...CATEGORICAL, required: false },
      { name: 'CONTENT_CLASSIFICATION', ...CATEGORICAL, required: false },
    ],
  },
};

/** The reserved fields of a dataset type: the domain's when a domain is given, else the custom ones. */
export function reservedFieldsOf(datasetType: string, domain?: string): ReservedField[] {
  const forDomain = domain === undefined ? undefined : DOMAINS[domain]?.[datasetType];
  return forDomain ?? CUSTOM[datasetType] ?? [];
}
