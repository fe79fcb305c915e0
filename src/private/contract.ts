/**
 * Property and attribute names shared by the constructs and the provider's handlers.
 *
 * Custom resource properties are the Personalize API request members in the API's own camelCase
 * spelling, plus a few control keys in PascalCase (CloudFormation's style) that the handler strips
 * before calling the service. CloudFormation delivers every scalar as a string, so handlers coerce
 * booleans and numbers back before sending them.
 */

/** Resource types served by the per-stack provider. */
export const SOLUTION_RESOURCE_TYPE = 'Custom::PersonalizeSolution';
export const SOLUTION_VERSION_RESOURCE_TYPE = 'Custom::PersonalizeSolutionVersion';
export const TRAINING_RESULT_RESOURCE_TYPE = 'Custom::PersonalizeTrainingResult';

/** Control keys of Custom::PersonalizeSolution (everything else is the CreateSolution request). */
export const SolutionControlKeys = {
  /** "true" when the construct generated `name`; a replacement then gets a fresh suffix. */
  NAME_IS_GENERATED: 'NameIsGenerated',
} as const;

/** Attributes returned by Custom::PersonalizeSolution. */
export const SolutionAttributes = {
  SOLUTION_ARN: 'SolutionArn',
  SOLUTION_NAME: 'SolutionName',
} as const;

/** Members of CreateSolution that UpdateSolution can change in place; anything else replaces. */
export const IN_PLACE_SOLUTION_MEMBERS = ['performAutoTraining', 'performIncrementalUpdate', 'tags'] as const;
export const IN_PLACE_SOLUTION_CONFIG_MEMBERS = ['autoTrainingConfig', 'eventsConfig'] as const;

/** Longest generated base name, leaving room for a `-xxxxxxxx` replacement suffix within 63 characters. */
export const GENERATED_NAME_MAX_LENGTH = 54;
