/**
 * Local deploy runner: plays CloudFormation (plus Lambda and Step Functions) for a synthesized
 * cloud assembly, in-process and in simulated time. See README.md in this folder.
 */
export { LocalCloudFormation, type StackDescription } from './engine/engine';
export { loadStack, type StackArtifact } from './services/assembly';
export { formatDuration } from './services/clock';
export { evaluateCondition, NO_VALUE, resolve, TemplateError, type IntrinsicContext } from './services/intrinsics';
export { CREATE_FAILED_MARKER } from './resources/provider-framework';
export { DEFAULT_HANDLERS } from './resources';
export { PERSONALIZE_SIMULATORS } from './resources/personalize';
export { ResourceFailure, type ResourceContext, type ResourceProvisioner, type ResourceInstance, type ResourceResult } from './protocol/resources';
export type { ExecutionSummary } from './services/state-machines';
export type { TaskIntegration } from './protocol/services';
export * from './protocol/types';
