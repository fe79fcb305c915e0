/** Names the real-account test and its checks share. */

/** Every Personalize resource of the test is named with this prefix, so leftovers can be found. */
export const INTEG_PREFIX = 'cdk-personalize-integ-';
export const INTEG_STACK = 'CdkPersonalizeIntegHpo';
/** The second real-account test: a batch inference job on a version trained in the same deploy. */
export const INTEG_BATCH_STACK = 'CdkPersonalizeIntegBatch';
export const INTEG_BATCH_PREFIX = `${INTEG_PREFIX}batch-`;
/** Context key choosing the deploy step: 1 and 3 tune bptt on range A, 2 on range B. */
export const STEP_CONTEXT = 'cdk-personalize-integ:step';

const RANGE_A: [number, number] = [20, 40];
const RANGE_B: [number, number] = [8, 16];
export const BPTT_RANGES: Record<number, [number, number]> = { 1: RANGE_A, 2: RANGE_B, 3: RANGE_A };

/** The step from context: 1 when absent; anything but 1, 2 or 3 fails by name. */
export function stepOf(value: unknown): number {
  const step = value === undefined ? 1 : Number(value);
  if (![1, 2, 3].includes(step)) {
    throw new Error(`Context ${STEP_CONTEXT} must be 1, 2 or 3, got ${JSON.stringify(value)}`);
  }
  return step;
}
