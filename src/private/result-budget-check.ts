import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { estimateResultBytes, MAX_DATA_BYTES, ResultShape } from './result-budget';

/**
 * The training result returns one attribute per tuned hyperparameter and metric; CloudFormation
 * refuses a custom resource response over 4 KB, which would fail the deploy after training.
 */
export function checkResultBudget(version: IConstruct, shape: ResultShape): void {
  const { required, full } = estimateResultBytes(shape);
  if (required > MAX_DATA_BYTES) {
    throw new Error(
      `SolutionVersion ${version.node.path}: its training result can take ${required} bytes (${shape.tunedNames.length} tuned ` +
      `hyperparameters, ${shape.metricKeys.length} metrics, values up to ${shape.tunedValueMaxLength} characters), more than the ` +
      `${MAX_DATA_BYTES} bytes a custom resource may return within CloudFormation's 4,096-byte response. ` +
      'Tune fewer hyperparameters (hpo.ranges), or shorten their names or categorical values.',
    );
  }
  if (full > MAX_DATA_BYTES) {
    Annotations.of(version).addWarningV2('cdk-personalize:tunedJsonMayBeCut',
      `The tuned hyperparameters JSON can take up to ${full - required} bytes, more than fits beside the other attributes ` +
      `(${MAX_DATA_BYTES} bytes in all): it may leave out some hyperparameters (and says how many); tunedHyperParameter() still reads each one.`);
  }
}
