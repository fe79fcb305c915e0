import { collectReferences, evaluateCondition, type IntrinsicContext, NO_VALUE, resolve, TemplateError } from '../services/intrinsics';
import { topologicalOrder } from '../services/template';

const ctx: IntrinsicContext = {
  ref: name => {
    const values: Record<string, unknown> = { 'AWS::Region': 'eu-west-1', 'Bucket': 'my-bucket', 'Env': 'prod', 'Subnets': ['a', 'b'] };
    if (name in values) return values[name];
    throw new TemplateError(`Unresolved resource dependencies [${name}]`);
  },
  getAtt: (id, attribute) => {
    if (id === 'Bucket' && attribute === 'Arn') return 'arn:aws:s3:::my-bucket';
    if (id === 'Db' && attribute === 'Endpoint.Address') return 'db.local';
    throw new TemplateError(`Template error: resource ${id} does not support attribute type ${attribute} in Fn::GetAtt`);
  },
  condition: name => name === 'IsProd',
  mappings: { Regions: { 'eu-west-1': { Ami: 'ami-123' } } },
};

const r = (value: unknown) => resolve(value, ctx, 'MyResource');

describe('intrinsic functions', () => {
  test('Ref and Fn::GetAtt (list and dotted string forms)', () => {
    expect(r({ Ref: 'Bucket' })).toBe('my-bucket');
    expect(r({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe('arn:aws:s3:::my-bucket');
    expect(r({ 'Fn::GetAtt': 'Db.Endpoint.Address' })).toBe('db.local');
  });

  test('Fn::Join, Fn::Split, Fn::Select', () => {
    expect(r({ 'Fn::Join': ['-', ['a', { Ref: 'Bucket' }, 3]] })).toBe('a-my-bucket-3');
    expect(r({ 'Fn::Split': [',', 'x,y,z'] })).toEqual(['x', 'y', 'z']);
    expect(r({ 'Fn::Select': ['1', { 'Fn::Split': [',', 'x,y,z'] }] })).toBe('y');
    expect(r({ 'Fn::Join': [',', { Ref: 'Subnets' }] })).toBe('a,b');
    expect(() => r({ 'Fn::Select': [5, ['a']] })).toThrow(/Fn::Select in MyResource/);
  });

  test('Fn::Sub in both forms, with attributes and escapes', () => {
    expect(r({ 'Fn::Sub': '${Bucket}/${Bucket.Arn}@${AWS::Region} ${!Literal}' })).toBe('my-bucket/arn:aws:s3:::my-bucket@eu-west-1 ${Literal}');
    expect(r({ 'Fn::Sub': ['${Name}-${AWS::Region}', { Name: { Ref: 'Env' } }] })).toBe('prod-eu-west-1');
  });

  test('conditions: Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or', () => {
    expect(r({ 'Fn::If': ['IsProd', 'big', 'small'] })).toBe('big');
    expect(r({ 'Fn::If': ['IsDev', { Ref: 'Missing' }, 'small'] })).toBe('small');
    expect(r({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] })).toBe(true);
    expect(r({ 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] })).toBe(true);
    expect(r({ 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'a'] }] })).toBe(true);
    expect(r({ 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'b'] }] })).toBe(false);
    expect(evaluateCondition({ Condition: 'IsProd' }, ctx, 'c')).toBe(true);
  });

  test('Fn::FindInMap, Fn::Base64, Fn::ToJsonString', () => {
    expect(r({ 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Ami'] })).toBe('ami-123');
    expect(r({ 'Fn::Base64': 'hello' })).toBe('aGVsbG8=');
    expect(r({ 'Fn::ToJsonString': { a: { Ref: 'Bucket' } } })).toBe('{"a":"my-bucket"}');
    expect(() => r({ 'Fn::FindInMap': ['Regions', 'us-east-1', 'Ami'] })).toThrow(/no value for \[Regions, us-east-1, Ami\]/);
  });

  test('AWS::NoValue removes properties and list items', () => {
    expect(r({ A: 1, B: { Ref: 'AWS::NoValue' }, C: ['x', { 'Fn::If': ['IsDev', 'y', { Ref: 'AWS::NoValue' }] }] })).toEqual({ A: 1, C: ['x'] });
    expect(r({ Ref: 'AWS::NoValue' })).toBe(NO_VALUE);
  });

  test('an unsupported intrinsic fails naming the function and the logical id', () => {
    expect(() => r({ Nested: { 'Fn::ImportValue': 'SharedVpc' } })).toThrow('Unsupported intrinsic function Fn::ImportValue in MyResource');
    expect(() => r({ 'Fn::GetAZs': '' })).toThrow(TemplateError);
  });

  test('unknown references and attributes fail with the resolver message', () => {
    expect(() => r({ Ref: 'Nope' })).toThrow('Unresolved resource dependencies [Nope]');
    expect(() => r({ 'Fn::GetAtt': ['Bucket', 'Nope'] })).toThrow('resource Bucket does not support attribute type Nope');
  });
});

describe('dependencies', () => {
  test('references in Ref, Fn::GetAtt and Fn::Sub, minus Fn::Sub variables', () => {
    const refs = collectReferences({
      A: { Ref: 'One' },
      B: { 'Fn::GetAtt': ['Two', 'Arn'] },
      C: { 'Fn::Sub': ['${Three.Arn}-${Local}-${!Skip}', { Local: { Ref: 'Four' } }] },
      D: { 'Fn::If': ['Cond', { Ref: 'Five' }, { Ref: 'AWS::NoValue' }] },
    });
    expect([...refs].sort()).toEqual(['AWS::NoValue', 'Five', 'Four', 'One', 'Three', 'Two']);
  });

  test('topological order keeps template order for ties and rejects cycles', () => {
    expect(topologicalOrder({
      C: { Type: 'T', Properties: { X: { Ref: 'A' } } },
      A: { Type: 'T' },
      B: { Type: 'T', DependsOn: 'C' },
    })).toEqual(['A', 'C', 'B']);
    expect(() => topologicalOrder({ A: { Type: 'T', DependsOn: 'B' }, B: { Type: 'T', Properties: { X: { Ref: 'A' } } } }))
      .toThrow('Circular dependency between resources: [A, B]');
  });
});
