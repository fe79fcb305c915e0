import { Arn, ArnFormat, Fn, Resource, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkReference, describeValue } from './private/untyped';
import { ISolution, SolutionAttributes, SolutionBase } from './solution-base';
import { ISolutionVersion, SolutionVersionAttributes } from './solution-version-base';

// The imports of solutions and their versions, shared by both classes' static methods (this file is
// not exported: its functions are not part of the API).

/** A solution of another stack or app, from its ARN and, when known, its recipe. */
export function importSolution(scope: Construct, id: string, attrs: SolutionAttributes): ISolution {
  checkArn('Solution.fromSolutionAttributes solutionArn', attrs?.solutionArn);
  const name = Arn.split(attrs.solutionArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
  class Import extends SolutionBase {
    public readonly solutionArn = attrs.solutionArn;
    public readonly solutionName = name;
    public readonly recipe = attrs.recipe;
  }
  return new Import(scope, id, { environmentFromArn: Token.isUnresolved(attrs.solutionArn) ? undefined : attrs.solutionArn });
}

/**
 * A solution version of another stack or app. Without a solution, the one its ARN names
 * (`arn:...:solution/<name>/<version id>`) is imported under it, as `Solution`.
 */
export function importSolutionVersion(scope: Construct, id: string, attrs: SolutionVersionAttributes): ISolutionVersion {
  const arn = attrs?.solutionVersionArn;
  checkArn('SolutionVersion.fromSolutionVersionAttributes solutionVersionArn', arn);
  if (attrs.solution !== undefined) {
    checkReference('SolutionVersion.fromSolutionVersionAttributes solution', attrs.solution, 'an ISolution', 'solutionArn',
      'Solution.fromSolutionAttributes(...)');
    const solutionArn = attrs.solution.solutionArn;
    if (!Token.isUnresolved(arn) && !Token.isUnresolved(solutionArn) && !arn.startsWith(`${solutionArn}/`)) {
      throw new Error(`SolutionVersion.fromSolutionVersionAttributes: solution version ${arn} is not a version of solution ${solutionArn} ` +
        '(a version\'s ARN is its solution\'s ARN followed by /<version id>)');
    }
  } else if (!Token.isUnresolved(arn) && !/^arn:[^:]+:personalize:[^:]*:[^:]*:solution\/[^/]+\/[^/]+$/.test(arn)) {
    throw new Error(`SolutionVersion.fromSolutionVersionAttributes: ${JSON.stringify(arn)} is not a solution version ARN ` +
      '(arn:<partition>:personalize:<region>:<account>:solution/<solution name>/<version id>)');
  }
  class Import extends Resource implements ISolutionVersion {
    public readonly solutionVersionArn = arn;
    public readonly solution: ISolution;
    constructor() {
      super(scope, id, { environmentFromArn: Token.isUnresolved(arn) ? undefined : arn });
      this.solution = attrs.solution ?? importSolution(this, 'Solution', { solutionArn: solutionArnOfVersion(arn) });
    }
  }
  return new Import();
}

/** The solution part of a version's ARN, also when the ARN is a token. */
function solutionArnOfVersion(versionArn: string): string {
  if (!Token.isUnresolved(versionArn)) {
    return versionArn.slice(0, versionArn.lastIndexOf('/'));
  }
  return Fn.join('/', [Fn.select(0, Fn.split('/', versionArn)), Fn.select(1, Fn.split('/', versionArn))]);
}

function checkArn(what: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${what} is ${describeValue(value)}: must be an ARN string`);
  }
}
