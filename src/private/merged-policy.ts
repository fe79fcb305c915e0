import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Statements of a role that grow by resources rather than by statements: one statement per set of
 * actions, to which every later grant of the same actions adds its resources once. Many solutions
 * then cost a few ARNs each, not a few statements each.
 */
export class MergedPolicy {
  private readonly statements = new Map<string, { statement: iam.PolicyStatement; resources: Set<string> }>();

  constructor(private readonly role: iam.IRole) {}

  /** Allows `actions` on `resources`. */
  public allow(actions: string[], resources: string[]): void {
    const key = [...new Set(actions)].sort().join(' ');
    const existing = this.statements.get(key);
    if (existing) {
      const fresh = [...new Set(resources)].filter(r => !existing.resources.has(r));
      fresh.forEach(r => existing.resources.add(r));
      if (fresh.length > 0) {
        existing.statement.addResources(...fresh);
      }
      return;
    }
    const statement = new iam.PolicyStatement({ actions, resources: [...new Set(resources)] });
    this.statements.set(key, { statement, resources: new Set(resources) });
    this.role.addToPrincipalPolicy(statement);
  }
}
