export * from './recipe';
export * from './hyper-parameters';
export * from './hpo';
export * from './dataset-group';
export * from './solution';
export * from './solution-version';
