/**
 * Limits and patterns of the Personalize API that hold whatever the recipe (the API model's
 * lengths, counts and name patterns). The recipe catalogue holds what differs per recipe.
 */

/** Limits of the API's requests (CreateSolution's unless named otherwise). */
export const API_LIMITS = {
  maxNumberOfTrainingJobs: 40,
  maxParallelTrainingJobs: 10,
  rangesPerType: 100,
  categoricalValues: 100,
  categoricalValueLength: 1000,
  integerRangeMin: -1_000_000,
  integerRangeMax: 1_000_000,
  continuousRangeMin: -1_000_000,
  hyperParameters: 100,
  hyperParameterValueLength: 1000,
  eventParameters: 10,
  autoTrainingDaysMin: 1,
  autoTrainingDaysMax: 30,
  tags: 50,
  nameMaxLength: 63,
  itemAttributeMaxLength: 150,
  stringMaxLength: 256,
  datasetColumns: 50,
  columnNameMaxLength: 150,
  autoMlRecipes: 100,
} as const;

/** The API's name pattern, anchored at both ends. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;
export const COLUMN_PATTERN = /^[A-Za-z_][A-Za-z\d_]*$/;
export const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
