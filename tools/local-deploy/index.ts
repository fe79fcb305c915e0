/**
 * Local deploy runner: plays CloudFormation (plus Lambda and Step Functions) for a synthesized
 * cloud assembly, in-process and in simulated time. See README.md in this folder.
 */
export { LocalCloudFormation, type StackDescription } from './engine';
export { loadStack, type StackArtifact } from './assembly';
export { formatDuration } from './clock';
export { evaluateCondition, NO_VALUE, resolve, TemplateError, type IntrinsicContext } from './intrinsics';
export { CREATE_FAILED_MARKER } from './provider-framework';
export { DEFAULT_HANDLERS } from './resources';
export { PERSONALIZE_SIMULATORS } from './resources/personalize';
export { ResourceFailure, type ResourceContext, type ResourceProvisioner, type ResourceInstance, type ResourceResult } from './resources/types';
export type { ExecutionSummary, TaskIntegration } from './state-machines';
export * from './types';
