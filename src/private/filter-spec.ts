/**
 * A built filter expression as plain data: what `Filter` checks against the datasets' schemas.
 * (Raw expressions have none: they are only checked for length.)
 */

/** One comparison: `<source>.<field> <operator> <value>`. */
export interface ComparisonSpec {
  /** `Items`, `Users`, `Interactions` or `CurrentUser`. */
  readonly source: string;
  readonly field: string;
  /** `IN`, `NOT IN`, `=`, `!=`, `<`, `<=`, `>`, `>=`. */
  readonly operator: string;
  /** A FilterValueKind. */
  readonly valueKind: string;
  /** The placeholder name, or the CurrentItem field. */
  readonly reference?: string;
}

/** One `INCLUDE`/`EXCLUDE` part. */
export interface ExpressionPartSpec {
  readonly include: boolean;
  /** `ItemID` or `UserID`. */
  readonly target: string;
  readonly connective?: 'AND' | 'OR';
  readonly comparisons: ComparisonSpec[];
  /** Comparisons of the IF condition (CurrentUser fields). */
  readonly ifCurrentUser: ComparisonSpec[];
  readonly ifConnective?: 'AND' | 'OR';
}
