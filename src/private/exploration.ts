import { Duration, Tokenization } from 'aws-cdk-lib';
import { PropsValidator } from './validation';

/** Item exploration settings, as a campaign and a recommender take them. */
export interface ExplorationInput {
  readonly explorationWeight?: number;
  readonly explorationItemAgeCutOff?: Duration;
}

/** Checks the settings in themselves: a weight from 0 to 1, a cut-off of whole days, at least one. */
export function validateExploration(v: PropsValidator, input: ExplorationInput): void {
  v.number('explorationWeight', input.explorationWeight, 0, 1);
  const cutOff = input.explorationItemAgeCutOff;
  if (cutOff !== undefined && !cutOff.isUnresolved()) {
    const days = cutOff.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1) {
      v.fail('explorationItemAgeCutOff', cutOff.toHumanString(), 'must be a whole number of days, at least 1');
    }
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
    config.explorationItemAgeCutOff = Tokenization.stringifyNumber(input.explorationItemAgeCutOff.toDays());
  }
  return Object.keys(config).length > 0 ? config : undefined;
}
