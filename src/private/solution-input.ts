import type { Duration } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { HyperParameterEntry, HyperParameterRangeEntry } from './entries';
import type { ParamPlacement, ParamType } from './recipe-catalogue';

/**
 * What validation and rendering read of a solution's props, declared here so that the private core
 * never imports a public module: `SolutionProps` and `Recipe` satisfy these shapes, and the compiler
 * checks that they do where `Solution` passes its props in.
 */

/** What the core reads of a hyperparameter's definition. */
export interface HyperParameterFacts {
  readonly name: string;
  readonly type: ParamType;
  readonly placement?: ParamPlacement;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly allowedValues?: string[];
  readonly tunable?: boolean;
  readonly tunableOnly?: boolean;
}

/** What the core reads of a recipe. */
export interface RecipeFacts {
  readonly recipeName: string;
  readonly recipeType?: { readonly name: string };
  readonly legacy: boolean;
  readonly catalogued: boolean;
  readonly supportsHpo: boolean;
  readonly supportsEventsConfig: boolean;
  readonly supportsOptimizationObjective: boolean;
  readonly supportsIncrementalUpdate: boolean;
  readonly hyperParametersKnown: boolean;
  readonly hyperParameters: HyperParameterFacts[];
  readonly note?: string;
  recipeArn(scope: IConstruct): string;
  findHyperParameter(name: string): HyperParameterFacts | undefined;
}

export interface DatasetColumnsInput {
  readonly interactions?: string[];
  readonly items?: string[];
  readonly users?: string[];
  readonly actions?: string[];
  readonly actionInteractions?: string[];
}

/** The props of a solution, as the core reads them. */
export interface SolutionInput {
  readonly datasetGroup: { readonly datasetGroupArn: string };
  readonly recipe?: RecipeFacts;
  readonly solutionName?: string;
  readonly hyperParameters?: { readonly _entries: HyperParameterEntry[] };
  readonly hpo?: {
    readonly ranges: { readonly _entries: HyperParameterRangeEntry[] };
    readonly maxNumberOfTrainingJobs?: number;
    readonly maxParallelTrainingJobs?: number;
  };
  readonly autoMl?: { readonly metricName?: string; readonly recipes?: RecipeFacts[] };
  readonly eventType?: string;
  readonly eventValueThreshold?: number;
  readonly optimizationObjective?: { readonly itemAttribute: string; readonly objectiveSensitivity?: 'LOW' | 'MEDIUM' | 'HIGH' | 'OFF' };
  readonly eventParameters?: Array<{ readonly eventType: string; readonly weight: number; readonly eventValueThreshold?: number }>;
  readonly excludedDatasetColumns?: DatasetColumnsInput;
  readonly includedDatasetColumns?: DatasetColumnsInput;
  readonly performAutoTraining?: boolean;
  readonly autoTrainingSchedule?: Duration;
  readonly performIncrementalUpdate?: boolean;
}
