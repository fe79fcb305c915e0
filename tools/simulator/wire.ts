// Request members the handlers read. The model validator has already checked types and
// constraints, so handlers can treat inputs as these shapes.

export interface Tag {
  readonly tagKey: string;
  readonly tagValue: string;
}

export interface NumericRangeInput {
  readonly name?: string;
  readonly minValue?: number;
  readonly maxValue?: number;
}

export interface CategoricalRangeInput {
  readonly name?: string;
  readonly values?: string[];
}

export interface HpoConfigInput {
  readonly hpoObjective?: Record<string, string>;
  readonly hpoResourceConfig?: { readonly maxNumberOfTrainingJobs?: string; readonly maxParallelTrainingJobs?: string };
  readonly algorithmHyperParameterRanges?: {
    readonly integerHyperParameterRanges?: NumericRangeInput[];
    readonly continuousHyperParameterRanges?: NumericRangeInput[];
    readonly categoricalHyperParameterRanges?: CategoricalRangeInput[];
  };
}

export interface SolutionConfigInput {
  readonly eventValueThreshold?: string;
  readonly hpoConfig?: HpoConfigInput;
  readonly algorithmHyperParameters?: Record<string, string>;
  readonly featureTransformationParameters?: Record<string, string>;
  readonly autoMLConfig?: { readonly metricName?: string; readonly recipeList?: string[] };
  readonly eventsConfig?: { readonly eventParametersList?: unknown[] };
  readonly optimizationObjective?: { readonly itemAttribute?: string; readonly objectiveSensitivity?: string };
  readonly trainingDataConfig?: unknown;
  readonly autoTrainingConfig?: { readonly schedulingExpression?: string };
}

export interface SolutionUpdateConfigInput {
  readonly autoTrainingConfig?: { readonly schedulingExpression?: string };
  readonly eventsConfig?: { readonly eventParametersList?: unknown[] };
}

export interface CreateSolutionInput {
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly recipeArn?: string;
  readonly performHPO?: boolean;
  readonly performAutoML?: boolean;
  readonly performAutoTraining?: boolean;
  readonly performIncrementalUpdate?: boolean;
  readonly eventType?: string;
  readonly solutionConfig?: SolutionConfigInput;
  readonly tags?: Tag[];
}

/** Epoch milliseconds to the wire's epoch seconds (with millis). */
export const toWireTime = (ms: number) => ms / 1000;
