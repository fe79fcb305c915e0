/**
 * Status strings returned by Personalize for solutions, solution updates and solution versions.
 * Note the spaces: the API returns "CREATE IN_PROGRESS", not "CREATE_IN_PROGRESS".
 */
export const Status = {
  ACTIVE: 'ACTIVE',
  CREATE_PENDING: 'CREATE PENDING',
  CREATE_IN_PROGRESS: 'CREATE IN_PROGRESS',
  CREATE_FAILED: 'CREATE FAILED',
  CREATE_STOPPING: 'CREATE STOPPING',
  CREATE_STOPPED: 'CREATE STOPPED',
  DELETE_PENDING: 'DELETE PENDING',
  DELETE_IN_PROGRESS: 'DELETE IN_PROGRESS',
} as const;

/** Version states that StopSolutionVersionCreation can act on. */
export const STOPPABLE_VERSION_STATES: ReadonlySet<string> = new Set([Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS]);

/** Version states that block DeleteSolution (training, or winding down after a stop). */
export const TRAINING_VERSION_STATES: ReadonlySet<string> = new Set([...STOPPABLE_VERSION_STATES, Status.CREATE_STOPPING]);

/** Solution states once DeleteSolution has been accepted. */
export const DELETING_STATES: ReadonlySet<string> = new Set([Status.DELETE_PENDING, Status.DELETE_IN_PROGRESS]);
