import { Duration, Tokenization } from 'aws-cdk-lib';
import { PropsValidator } from './validation';

/** Item exploration settings, as a campaign and a recommender take them. */
export interface ExplorationInput {
  readonly explorationWeight?: number;
  readonly explorationItemAgeCutOff?: Duration;
}

/**
 * Checks the settings in themselves: a weight from 0 to 1, and a cut-off of at least one day (the
 * recipe page takes positive floats of days, at least one, so 36 hours is 1.5 days).
 */
export function validateExploration(v: PropsValidator, input: ExplorationInput): void {
  v.number('explorationWeight', input.explorationWeight, 0, 1);
  const cutOff = input.explorationItemAgeCutOff;
  if (cutOff !== undefined && !cutOff.isUnresolved() && cutOff.toDays({ integral: false }) < 1) {
    v.fail('explorationItemAgeCutOff', cutOff.toHumanString(), 'must be at least 1 day');
  }
}

/** Whether any exploration setting is given. */
export function isExploring(input: ExplorationInput): boolean {
  return input.explorationWeight !== undefined || input.explorationItemAgeCutOff !== undefined;
}

/** The API's `itemExplorationConfig` (string values), or undefined without settings. */
export function renderExploration(input: ExplorationInput): Record<string, string> | undefined {
  const config: Record<string, string> = {};
  // Numbers that are tokens (parameters) render as references, not as their encoded values.
  if (input.explorationWeight !== undefined) {
    config.explorationWeight = Tokenization.stringifyNumber(input.explorationWeight);
  }
  if (input.explorationItemAgeCutOff !== undefined) {
    config.explorationItemAgeCutOff = Tokenization.stringifyNumber(input.explorationItemAgeCutOff.toDays({ integral: false }));
  }
  return Object.keys(config).length > 0 ? config : undefined;
}
