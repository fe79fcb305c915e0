import type { ParamPlacement, ParamType } from './recipe-catalogue';

/** One fixed hyperparameter value, as the construct renders it. */
export interface HyperParameterEntry {
  readonly name: string;
  /** The value as the API wants it: a string. */
  readonly value: string;
  /** The number behind the value, for range checks. */
  readonly numeric?: number;
  /** Whether the value came from `HyperParameters.custom`, which skips the catalogue check. */
  readonly custom: boolean;
  /** Where a custom value goes; catalogued ones take the recipe's placement. */
  readonly placement?: ParamPlacement;
  /** The version whose HPO chooses this value (a deploy-time token), its recipe, and the numeric range it tunes over when known. */
  readonly tunedBy?: { readonly path: string; readonly recipeName?: string; readonly range?: { readonly min: number; readonly max: number } };
}

/** One HPO range, as the construct renders it. */
export interface HyperParameterRangeEntry {
  readonly name: string;
  readonly type: ParamType;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly values?: string[];
  /** Whether the range came from `HyperParameterRanges.custom`, which skips the catalogue check. */
  readonly custom: boolean;
}
