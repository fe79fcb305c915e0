import { IResource, Resource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SOLUTION_LIST_ACTIONS } from './private/actions';
import { Recipe } from './recipe';

/**
 * An Amazon Personalize solution: a recipe and its configuration, trained into solution versions.
 */
export interface ISolution extends IResource {
  /**
   * The ARN of the solution.
   * @attribute
   */
  readonly solutionArn: string;

  /**
   * The name of the solution.
   * @attribute
   */
  readonly solutionName: string;

  /**
   * The recipe the solution uses, when known.
   */
  readonly recipe?: Recipe;

  /**
   * Grants `actions` on this solution and its versions.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading the solution, its versions and their metrics.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/** Actions that read a solution and its versions. */
const READ_ACTIONS = [
  'personalize:DescribeSolution',
  'personalize:DescribeSolutionVersion',
  'personalize:GetSolutionMetrics',
];

/**
 * Behaviour shared by owned and imported solutions.
 */
export abstract class SolutionBase extends Resource implements ISolution {
  public abstract readonly solutionArn: string;
  public abstract readonly solutionName: string;
  public abstract readonly recipe?: Recipe;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.solutionArn, `${this.solutionArn}/*`],
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...READ_ACTIONS);
    iam.Grant.addToPrincipal({ grantee, actions: SOLUTION_LIST_ACTIONS, resourceArns: ['*'] });
    return grant;
  }
}

/**
 * Attributes of an existing solution.
 */
export interface SolutionAttributes {
  /** The ARN of the solution. */
  readonly solutionArn: string;

  /**
   * The recipe the solution uses; enables recipe-specific checks on its versions.
   * @default - unknown
   */
  readonly recipe?: Recipe;
}
