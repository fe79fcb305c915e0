import { reservedNames } from '../build-tools/jsii-names';

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

  test('names that read well everywhere pass', () => {
    expect(reservedNames({ types: { 'x.Range': { fqn: 'x.Range', methods: [{ name: 'trueOrFalse' }], initializer: { parameters: [{ name: 'scope' }] } } } })).toEqual([]);
  });
});
