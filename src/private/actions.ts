/** IAM actions the provider's handlers need on a solution's versions. */
export const SOLUTION_VERSION_ACTIONS = [
  'personalize:CreateSolutionVersion',
  'personalize:DescribeSolutionVersion',
  'personalize:StopSolutionVersionCreation',
  'personalize:GetSolutionMetrics',
  'personalize:TagResource',
  'personalize:UntagResource',
];

/** List actions, which IAM only authorizes on `*`. */
export const SOLUTION_LIST_ACTIONS = ['personalize:ListSolutions', 'personalize:ListSolutionVersions'];
