import { camelCaseInDocs, reservedNames } from '../build-tools/jsii-names';

/** The build's check of the assembly (`npx projen compile` runs it on .jsii). */
describe('public names reserved in Java or Python', () => {
  test('a static method named boolean and a parameter named lambda are reported', () => {
    expect(reservedNames({
      types: {
        'x.Range': { fqn: 'x.Range', methods: [{ name: 'boolean' }, { name: 'of', parameters: [{ name: 'lambda' }] }] },
        'x.Props': { fqn: 'x.Props', properties: [{ name: 'default' }, { name: 'values' }] },
      },
    })).toEqual([
      "x.Range.boolean: 'boolean' is reserved in Java",
      "x.Range.of(lambda): 'lambda' is reserved in Python",
      "x.Props.default: 'default' is reserved in Java",
    ]);
  });

  test('a parameter named type or object is reported for Go and .NET; a property named type is not (they capitalize it)', () => {
    expect(reservedNames({
      types: {
        'x.Range': { fqn: 'x.Range', methods: [{ name: 'of', parameters: [{ name: 'type' }, { name: 'object' }] }] },
        'x.Props': { fqn: 'x.Props', properties: [{ name: 'type' }, { name: 'range' }] },
      },
    })).toEqual([
      "x.Range.of(type): 'type' is reserved in Go",
      "x.Range.of(object): 'object' is reserved in .NET",
    ]);
  });

  test('names that read well everywhere pass', () => {
    expect(reservedNames({ types: { 'x.Range': { fqn: 'x.Range', methods: [{ name: 'trueOrFalse' }], initializer: { parameters: [{ name: 'scope' }] } } } })).toEqual([]);
  });
});

describe('docs that name a member in camelCase', () => {
  const assembly = (summary: string) => ({
    types: { 'x.Props': { fqn: 'x.Props', properties: [{ name: 'autoMl' }, { name: 'recipe', docs: { summary } }] } },
  });

  test('are reported, since Python spells the member auto_ml', () => {
    expect(camelCaseInDocs(assembly('Required unless `autoMl` is set.') as any))
      .toEqual(['x.Props.recipe: the docs name `autoMl`, which Python spells differently']);
  });

  test('words, one-word names and other code pass', () => {
    expect(camelCaseInDocs(assembly('Required unless AutoML chooses one; see `recipe` and `Recipe.fromArn`.') as any)).toEqual([]);
  });
});
