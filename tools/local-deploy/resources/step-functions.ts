/**
 * AWS::StepFunctions::StateMachine: its resolved definition is registered with the local Step
 * Functions service, which runs executions started through the local API.
 */
import type { ResourceContext, ResourceProvisioner, ResourceResult } from '../protocol/resources';
import { ResourceFailure } from '../protocol/resources';

export const stateMachineHandler: ResourceProvisioner = {
  async create(ctx, props) {
    return register(ctx, props);
  },
  async update(ctx, current, props) {
    if (props.StateMachineName !== current.properties.StateMachineName) return register(ctx, props);
    return register(ctx, props, current.physicalId, String(current.attributes.Name));
  },
  async delete(ctx, current) {
    await ctx.services.stepFunctions.unregister(current.physicalId);
  },
};

function register(ctx: ResourceContext, props: Record<string, unknown>, keepArn?: string, keepName?: string): ResourceResult {
  const name = keepName ?? (typeof props.StateMachineName === 'string' ? props.StateMachineName : `${ctx.logicalId}-${ctx.physicalName().split('-').pop()}`);
  const arn = keepArn ?? `arn:${ctx.partition}:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;
  ctx.services.stepFunctions.register({ stackName: ctx.stackName, logicalId: ctx.logicalId, arn, name, definition: definitionOf(props) });
  return { physicalId: arn, attributes: { Arn: arn, Name: name, StateMachineRevisionId: arn } };
}

/** Definition from DefinitionString (with DefinitionSubstitutions) or Definition. */
function definitionOf(props: Record<string, unknown>): Record<string, any> {
  if (props.Definition && typeof props.Definition === 'object') return props.Definition as Record<string, any>;
  if (typeof props.DefinitionString !== 'string') throw new ResourceFailure('Either DefinitionString or Definition is required (DefinitionS3Location is not supported locally)');
  const substitutions = (props.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  const text = props.DefinitionString.replace(/\$\{([^}]+)\}/g, (whole, key: string) => key in substitutions ? String(substitutions[key]) : whole);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ResourceFailure(`Invalid State Machine Definition: ${(e as Error).message}`);
  }
}
