import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  DatasetGroup, HyperParameterRange, HyperParameterRanges, Recipe, Solution, SolutionVersionOptions,
} from '../src';
import { addTrainedSolutions } from './fixtures/trained-solutions';
import { MANAGED_POLICIES_CONTEXT } from '../src/private/stack-limits';

/**
 * Many trained solutions in one stack: within CloudFormation's and IAM's limits by default, and
 * a clear synth error where a stack would still break one.
 */

const ENV = { account: '123456789012', region: 'us-east-1' };

interface StackOptions {
  readonly stackName?: string;
  readonly version?: SolutionVersionOptions;
  readonly context?: Record<string, unknown>;
}

function stackOf(solutions: number, options: StackOptions = {}) {
  const app = new App({ context: options.context });
  const stack = new Stack(app, 'Scale', { env: ENV, stackName: options.stackName });
  addTrainedSolutions(stack, new DatasetGroup(stack, 'Group'), solutions, options.version);
  return { app, stack };
}

/** Bytes of each IAM policy of the stack, by logical id. */
function policyBytes(template: Template): Record<string, number> {
  const policies = { ...template.findResources('AWS::IAM::Policy'), ...template.findResources('AWS::IAM::ManagedPolicy') };
  return Object.fromEntries(Object.entries(policies).map(([id, r]) => [id, JSON.stringify(r.Properties.PolicyDocument).length]));
}

describe('40 solutions with HPO versions in one stack', () => {
  const { stack } = stackOf(40);
  const template = Template.fromStack(stack);
  const json = template.toJSON();

  test('stay within CloudFormation\'s limits of outputs, resources and template size', () => {
    expect(Object.keys(json.Outputs)).toHaveLength(160);
    expect(Object.keys(json.Resources).length).toBeLessThanOrEqual(200);
    expect(JSON.stringify(json, undefined, 1).length).toBeLessThan(250_000);
  });

  test('IAM stays flat: the same policies, of the same size, as for one solution, and no managed policy', () => {
    const one = policyBytes(Template.fromStack(stackOf(1).stack));
    expect(policyBytes(template)).toEqual(one);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('one pattern covers the solutions the stack names, and their versions; no personalize:*', () => {
    const statements = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(statements).not.toContain('"personalize:*"');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['personalize:CreateSolutionVersion', 'personalize:DescribeSolutionVersion']),
          Resource: 'arn:aws:personalize:us-east-1:123456789012:solution/Scale_*',
        })]),
      },
    });
    template.hasResourceProperties('Custom::PersonalizeSolution', { name: Match.stringLikeRegexp('^Scale_S0[0-9A-F]{8}$') });
  });
});

describe('generated names', () => {
  test('a long stack name is cut and hashed; the prefix ends in _, which no stack name contains', () => {
    const { stack } = stackOf(1, { stackName: 'my-very-long-stack-name-for-production-eu-west-1' });
    const template = Template.fromStack(stack);
    const name = Object.values(template.findResources('Custom::PersonalizeSolution'))[0].Properties.name as string;
    expect(name).toMatch(/^my-very-long-stac[0-9A-F]{7}_S0[0-9A-F]{8}$/);
    expect(name.length).toBeLessThanOrEqual(54);
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain(`solution/${name.split('_')[0]}_*`);
  });

  test('a named solution is granted by its own name', () => {
    const stack = new Stack(new App(), 'Named', { env: ENV });
    new Solution(stack, 'S', { datasetGroup: new DatasetGroup(stack, 'G'), recipe: Recipe.SIMS, solutionName: 'sims' }).addVersion('V');
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain('solution/sims/*');
    expect(policies).not.toContain('Named_*');
  });
});

describe('synth fails before CloudFormation would refuse the stack', () => {
  test('more than 200 outputs: the count, the limit and what to change', () => {
    const { app } = stackOf(51);
    expect(() => app.synth()).toThrow(/Stack Scale has 204 outputs; CloudFormation allows 200\. Its 51 solution versions add 4 each .*set outputs: false/);
  });

  test('detailedOutputs take 17 per User-Personalization version with HPO: 12 versions are too many', () => {
    expect(() => stackOf(12, { version: { detailedOutputs: true } }).app.synth()).toThrow(/has 204 outputs/);
    expect(() => stackOf(11, { version: { detailedOutputs: true } }).app.synth()).not.toThrow();
  });

  test('outputs: false makes room', () => {
    expect(() => stackOf(51, { version: { outputs: false } }).app.synth()).not.toThrow();
  });

  test('more resources than the stack allows', () => {
    const { app } = stackOf(1, { context: { '@aws-cdk/core:stackResourceLimit': 20 } });
    expect(() => app.synth()).toThrow(/Stack Scale has \d+ resources; CloudFormation allows 20\. A solution with one version takes 5/);
  });

  test('a template over 1 MB', () => {
    const { app, stack } = stackOf(1);
    new CfnResource(stack, 'Big', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(1_000_000) } });
    expect(() => app.synth()).toThrow(/Stack Scale's template takes \d+ bytes; CloudFormation allows 1000000/);
  });

  test('a role with more managed policies than IAM allows', () => {
    const { app, stack } = stackOf(1, { context: { [MANAGED_POLICIES_CONTEXT]: 2 } });
    const role = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
    ['A', 'B', 'C'].forEach(name => role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(`ReadOnly${name}`)));
    expect(() => app.synth()).toThrow(/Role Other[0-9A-F]{8} of stack Scale has 3 managed policies \(0 of them for statements that overflowed its inline policy\); IAM allows 2/);
  });
});

describe('the training result fits CloudFormation\'s 4 KB response', () => {
  const customStack = (count: number, nameLength: number) => {
    const stack = new Stack(new App(), 'Custom', { env: ENV });
    const ranges = Array.from({ length: count }, (_, i) => ({ name: `p${i}_${'x'.repeat(nameLength)}`.slice(0, nameLength), range: HyperParameterRange.integer(1, 10) }));
    const solution = new Solution(stack, 'S', {
      datasetGroup: new DatasetGroup(stack, 'G'),
      recipe: Recipe.USER_PERSONALIZATION,
      hpo: { ranges: HyperParameterRanges.custom(ranges) },
    });
    return { stack, add: () => solution.addVersion('V') };
  };

  test('too many tuned hyperparameters fail at synth, naming the bytes and what to change', () => {
    expect(() => customStack(40, 40).add()).toThrow(
      /SolutionVersion Custom\/S\/V: its training result can take \d+ bytes \(43 tuned hyperparameters, 8 metrics, values up to 24 characters\), more than the 3000 bytes .*Tune fewer hyperparameters/);
  });

  test('a few more than fit in the JSON: a warning that it may be cut', () => {
    const { stack, add } = customStack(12, 30);
    add();
    Annotations.fromStack(stack).hasWarning('/Custom/S/V', Match.stringLikeRegexp('tuned hyperparameters JSON can take up to \\d+ bytes'));
  });

  test('the default User-Personalization version fits whole', () => {
    const { stack } = stackOf(1);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('tuned hyperparameters JSON'))).toEqual([]);
  });
});
