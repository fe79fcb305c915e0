/**
 * The CreateSolution request as one type: `Solution` renders it once, validated, and the handler
 * parses the custom resource's properties back into it. What each member does on an update (in
 * place or a new solution) is a fact of the member table below; every list of members derives from
 * it, and the compiler checks that the table names every member of the type.
 *
 * This module has no runtime dependency: the handlers bundle it.
 */

/** A tag as the Personalize API takes it. */
export interface TagSpec {
  readonly tagKey: string;
  readonly tagValue: string;
}

export interface HpoRangeSpec {
  readonly name?: string;
  readonly minValue?: number;
  readonly maxValue?: number;
}

export interface CategoricalRangeSpec {
  readonly name?: string;
  readonly values?: string[];
}

export interface HpoConfigSpec {
  /** Strings in the API. */
  readonly hpoResourceConfig?: {
    readonly maxNumberOfTrainingJobs?: string;
    readonly maxParallelTrainingJobs?: string;
  };
  readonly algorithmHyperParameterRanges?: {
    readonly integerHyperParameterRanges?: HpoRangeSpec[];
    readonly continuousHyperParameterRanges?: HpoRangeSpec[];
    readonly categoricalHyperParameterRanges?: CategoricalRangeSpec[];
  };
}

export interface EventParametersSpec {
  readonly eventType?: string;
  /** A double, unlike solutionConfig.eventValueThreshold. */
  readonly eventValueThreshold?: number;
  readonly weight?: number;
}

export type ObjectiveSensitivityValue = 'LOW' | 'MEDIUM' | 'HIGH' | 'OFF';

export interface SolutionConfigSpec {
  /** A string in the API. */
  readonly eventValueThreshold?: string;
  readonly hpoConfig?: HpoConfigSpec;
  readonly algorithmHyperParameters?: Record<string, string>;
  readonly featureTransformationParameters?: Record<string, string>;
  readonly autoMLConfig?: { readonly metricName?: string; readonly recipeList?: string[] };
  readonly eventsConfig?: { readonly eventParametersList?: EventParametersSpec[] };
  readonly optimizationObjective?: { readonly itemAttribute?: string; readonly objectiveSensitivity?: ObjectiveSensitivityValue };
  readonly trainingDataConfig?: {
    readonly excludedDatasetColumns?: Record<string, string[]>;
    readonly includedDatasetColumns?: Record<string, string[]>;
  };
  readonly autoTrainingConfig?: { readonly schedulingExpression?: string };
}

export interface SolutionSpec {
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly recipeArn?: string;
  readonly performHPO?: boolean;
  readonly performAutoML?: boolean;
  readonly performAutoTraining?: boolean;
  readonly performIncrementalUpdate?: boolean;
  readonly eventType?: string;
  readonly solutionConfig?: SolutionConfigSpec;
  readonly tags?: TagSpec[];
}

/** What a change of a member does to an existing solution. */
export interface MemberFacts {
  /** UpdateSolution (or tagging) changes it in place; otherwise a change replaces the solution. */
  readonly inPlace: boolean;
}

export const SOLUTION_MEMBERS: { readonly [K in keyof SolutionSpec]-?: MemberFacts } = {
  name: { inPlace: false },
  datasetGroupArn: { inPlace: false },
  recipeArn: { inPlace: false },
  performHPO: { inPlace: false },
  performAutoML: { inPlace: false },
  performAutoTraining: { inPlace: true },
  performIncrementalUpdate: { inPlace: true },
  eventType: { inPlace: false },
  // Decided per member of the configuration, below.
  solutionConfig: { inPlace: false },
  tags: { inPlace: true },
};

export const SOLUTION_CONFIG_MEMBERS: { readonly [K in keyof SolutionConfigSpec]-?: MemberFacts } = {
  eventValueThreshold: { inPlace: false },
  hpoConfig: { inPlace: false },
  algorithmHyperParameters: { inPlace: false },
  featureTransformationParameters: { inPlace: false },
  autoMLConfig: { inPlace: false },
  eventsConfig: { inPlace: true },
  optimizationObjective: { inPlace: false },
  trainingDataConfig: { inPlace: false },
  autoTrainingConfig: { inPlace: true },
};

function membersWhere<T extends object>(table: { readonly [K in keyof T]-?: MemberFacts }, inPlace: boolean): Array<keyof T & string> {
  return (Object.keys(table) as Array<keyof T & string>).filter(member => table[member].inPlace === inPlace);
}

/** Members of CreateSolution that UpdateSolution or tagging changes in place. */
export const IN_PLACE_SOLUTION_MEMBERS = membersWhere<SolutionSpec>(SOLUTION_MEMBERS, true);
/** Members of solutionConfig that UpdateSolution changes in place. */
export const IN_PLACE_SOLUTION_CONFIG_MEMBERS = membersWhere<SolutionConfigSpec>(SOLUTION_CONFIG_MEMBERS, true);

/** Member paths (`performAutoTraining`, `solutionConfig.eventsConfig`) whose change is made in place. */
export const IN_PLACE_PATHS: ReadonlySet<string> = new Set<string>([
  ...IN_PLACE_SOLUTION_MEMBERS,
  ...IN_PLACE_SOLUTION_CONFIG_MEMBERS.map(member => `solutionConfig.${member}`),
]);

/**
 * The members whose change replaces the solution (and so trains a new version): the spec without
 * what is changed in place. The training key is computed from this.
 */
export function replacementSpec<T extends Partial<SolutionSpec>>(spec: T): Partial<SolutionSpec> {
  const replacing: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(spec)) {
    if (!SOLUTION_MEMBERS[member as keyof SolutionSpec]?.inPlace) {
      replacing[member] = value;
    }
  }
  const config = spec.solutionConfig;
  if (config) {
    const kept = Object.entries(config).filter(([member]) => !SOLUTION_CONFIG_MEMBERS[member as keyof SolutionConfigSpec]?.inPlace);
    replacing.solutionConfig = kept.length > 0 ? Object.fromEntries(kept) : undefined;
  }
  return replacing as Partial<SolutionSpec>;
}
