import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

import { DatasetGroupDomain } from '../src/dataset-group';
import { DatasetType, Schema, SchemaDefinition } from '../src/schema';
import { SchemaField, SchemaFieldType } from '../src/schema-field';

const SCHEMA = 'AWS::Personalize::Schema';
const NAMESPACE = 'com.amazonaws.personalize.schema';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-west-2' } });
}

function schemaOf(stack: Stack): any {
  const [resource] = Object.values(Template.fromStack(stack).findResources(SCHEMA));
  return JSON.parse(resource.Properties.Schema);
}

function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => String(w.entry.data));
}

/** The Avro JSON of an Interactions schema with the given fields. */
function interactionsJson(fields: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'record', name: 'Interactions', namespace: NAMESPACE, fields, version: '1.0', ...extra });
}

const IDS = [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }];

describe('Schema', () => {
  test('an Interactions schema gets the required fields first, then the given ones', () => {
    const stack = newStack();
    Schema.interactions(stack, 'Interactions', {
      fields: [
        SchemaField.ofString('EVENT_TYPE'),
        SchemaField.ofFloat('EVENT_VALUE', { optional: true }),
        SchemaField.categorical('DEVICE', { optional: true }),
      ],
    });

    expect(schemaOf(stack)).toEqual({
      type: 'record',
      name: 'Interactions',
      namespace: NAMESPACE,
      fields: [
        { name: 'USER_ID', type: 'string' },
        { name: 'ITEM_ID', type: 'string' },
        { name: 'TIMESTAMP', type: 'long' },
        { name: 'EVENT_TYPE', type: 'string' },
        { name: 'EVENT_VALUE', type: ['null', 'float'] },
        { name: 'DEVICE', type: ['null', 'string'], categorical: true },
      ],
      version: '1.0',
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toHaveLength(0);
  });

  test('an Interactions schema without fields has exactly the required ones', () => {
    const stack = newStack();
    const schema = Schema.interactions(stack, 'Interactions');

    expect(schemaOf(stack).fields).toEqual(IDS);
    expect(schema.datasetType).toBe(DatasetType.INTERACTIONS);
    expect(schema.domain).toBeUndefined();
  });

  test('required fields given explicitly keep their place and are not added twice', () => {
    const stack = newStack();
    Schema.items(stack, 'Items', {
      fields: [SchemaField.categorical('GENRES'), SchemaField.ofString('ITEM_ID'), SchemaField.textual('DESCRIPTION', { optional: true })],
    });

    expect(schemaOf(stack)).toMatchObject({
      name: 'Items',
      fields: [
        { name: 'GENRES', type: 'string', categorical: true },
        { name: 'ITEM_ID', type: 'string' },
        { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
      ],
    });
  });

  test('a Users schema gets USER_ID', () => {
    const stack = newStack();
    Schema.users(stack, 'Users', { fields: [SchemaField.ofInt('AGE', { optional: true }), SchemaField.ofBoolean('MEMBER'), SchemaField.ofDouble('SPEND')] });

    expect(schemaOf(stack)).toMatchObject({
      name: 'Users',
      fields: [
        { name: 'USER_ID', type: 'string' },
        { name: 'AGE', type: ['null', 'int'] },
        { name: 'MEMBER', type: 'boolean' },
        { name: 'SPEND', type: 'double' },
      ],
    });
  });

  test('the constructor takes a dataset type and a definition, and a domain', () => {
    const stack = newStack();
    const schema = new Schema(stack, 'Schema', {
      datasetType: DatasetType.INTERACTIONS,
      definition: SchemaDefinition.fromFields([SchemaField.ofString('EVENT_TYPE')]),
      domain: DatasetGroupDomain.ECOMMERCE,
      schemaName: 'retail-interactions',
    });

    Template.fromStack(stack).hasResourceProperties(SCHEMA, { Name: 'retail-interactions', Domain: 'ECOMMERCE' });
    expect(schema.schemaName).toBe('retail-interactions');
    expect(stack.resolve(schema.schemaArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Schema/), 'SchemaArn'] });
  });

  test('existing JSON is sent verbatim', () => {
    const stack = newStack();
    const json = `{
      "type": "record", "name": "Interactions", "namespace": "${NAMESPACE}",
      "fields": [
        {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": ["string", "null"]}
      ],
      "version": "1.0"
    }`;
    const schema = Schema.fromJson(stack, 'Legacy', { datasetType: DatasetType.INTERACTIONS, json });

    Template.fromStack(stack).hasResourceProperties(SCHEMA, { Schema: json });
    expect(schema.schemaJson).toBe(json);
  });

  test('a generated name follows the content, so a changed schema can be created next to the old one', () => {
    const names = [['A'], ['A'], ['B']].map(([field]) => {
      const stack = newStack();
      return Schema.items(stack, 'Items', { fields: [SchemaField.categorical(field)] }).schemaName;
    });

    expect(names[0]).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9\-_]*-[0-9a-f]{8}$/);
    expect(names[0].length).toBeLessThanOrEqual(63);
    expect(names[1]).toBe(names[0]);
    expect(names[2]).not.toBe(names[0]);
  });

  test('imports by ARN and by attributes', () => {
    const stack = newStack();
    const arn = 'arn:aws:personalize:us-west-2:123456789012:schema/movies-interactions';
    const byArn = Schema.fromSchemaArn(stack, 'ByArn', arn);
    const byAttrs = Schema.fromSchemaAttributes(stack, 'ByAttrs', { schemaArn: arn, datasetType: DatasetType.ITEMS, domain: DatasetGroupDomain.VIDEO_ON_DEMAND });

    expect(byArn.schemaName).toBe('movies-interactions');
    expect(byArn.datasetType).toBeUndefined();
    expect(byAttrs.datasetType).toBe(DatasetType.ITEMS);
    expect(byAttrs.domain).toBe(DatasetGroupDomain.VIDEO_ON_DEMAND);
  });

  test('JSON that is a token is not validated', () => {
    const stack = newStack();
    const json = Lazy.string({ produce: () => '{}' });
    Schema.fromJson(stack, 'Lazy', { datasetType: DatasetType.USERS, json });

    Template.fromStack(stack).hasResourceProperties(SCHEMA, { Schema: '{}' });
  });

  test('a type the library does not know warns and is sent as is', () => {
    const stack = newStack();
    Schema.items(stack, 'Items', { fields: [SchemaField.ofType('RELEASED', SchemaFieldType.of('date'))] });

    expect(schemaOf(stack).fields[1]).toEqual({ name: 'RELEASED', type: 'date' });
    expect(warnings(stack)).toEqual([expect.stringMatching(/schema field 'RELEASED' has type 'date', which this library does not know/)]);
    expect(SchemaFieldType.of('long')).toBe(SchemaFieldType.LONG);
  });
});

describe('Schema warnings for rules that are not verified', () => {
  test.each([
    ['more than one textual field', () => Schema.items(newStack(), 'S', { fields: [SchemaField.textual('TITLE'), SchemaField.textual('DESCRIPTION')] }),
      /fields is \["TITLE","DESCRIPTION"\]: Personalize is believed to use at most 1 textual field \(a rule not verified, so only a warning\)/],
    ['a double EVENT_VALUE (the guide gives float)', () => Schema.interactions(newStack(), 'S', { fields: [SchemaField.ofDouble('EVENT_VALUE')] }),
      /fields.EVENT_VALUE is 'double': the guide gives EVENT_VALUE the type float; double is believed accepted/],
    ['field names differing only in case', () => Schema.items(newStack(), 'S', { fields: [SchemaField.categorical('Genre'), SchemaField.categorical('GENRE')] }),
      /fields.GENRE is 'GENRE': differs from another field only in case/],
    ['a very long field name', () => Schema.items(newStack(), 'S', { fields: [SchemaField.categorical('G'.repeat(151))] }),
      /fields.G+ is 'G+': has 151 characters; Personalize is believed to accept at most 150/],
  ])('warns on %s', (_, build, message) => {
    const schema = build();
    expect(warnings(Stack.of(schema))).toEqual([expect.stringMatching(message)]);
  });
});

describe('Schema validation', () => {
  const items = (fields: SchemaField[]) => () => Schema.items(newStack(), 'S', { fields });
  const interactions = (fields: SchemaField[]) => () => Schema.interactions(newStack(), 'S', { fields });
  const json = (datasetType: DatasetType, text: string) => () => Schema.fromJson(newStack(), 'S', { datasetType, json: text });

  test.each<[string, () => Schema, RegExp]>([
    ['an Items schema has no field besides ITEM_ID', items([]),
      /fields is \["ITEM_ID"\]: an Items schema needs at least one field besides ITEM_ID/],
    ['a Users schema has no field besides USER_ID', () => Schema.users(newStack(), 'S', { fields: [SchemaField.ofString('USER_ID')] }),
      /fields is \["USER_ID"\]: a Users schema needs at least one field besides USER_ID/],
    ['a required field has the wrong type', interactions([SchemaField.ofString('TIMESTAMP')]),
      /fields.TIMESTAMP is 'string': TIMESTAMP must be long/],
    ['a required field is optional', interactions([SchemaField.ofString('USER_ID', { optional: true })]),
      /fields.USER_ID is '\["null","string"\]': USER_ID is required, so it cannot be optional/],
    ['an optional reserved field has the wrong type', interactions([SchemaField.ofLong('EVENT_TYPE')]),
      /fields.EVENT_TYPE is 'long': EVENT_TYPE must be string/],
    ['a non-string field is categorical', items([SchemaField.ofType('PRICE', SchemaFieldType.FLOAT, { categorical: true })]),
      /fields.PRICE.categorical is true: only string fields can be categorical \(the field is float\)/],
    ['a non-string field is textual', items([SchemaField.ofType('RATING', SchemaFieldType.INT, { textual: true })]),
      /fields.RATING.textual is true: only string fields can be textual \(the field is int\)/],
    ['a Users field is textual', () => Schema.users(newStack(), 'S', { fields: [SchemaField.textual('BIO')] }),
      /fields.BIO.textual is true: only Items datasets have textual fields \(this schema is for Users\)/],
    ['an Interactions field is textual', interactions([SchemaField.textual('COMMENT')]),
      /only Items datasets have textual fields \(this schema is for Interactions\)/],
    ['a field is both categorical and textual', items([SchemaField.ofString('TAGS', { categorical: true, textual: true })]),
      /fields.TAGS is 'categorical and textual': a field is either categorical or textual, not both/],
    ['a field is given twice', items([SchemaField.categorical('GENRES'), SchemaField.categorical('GENRES')]),
      /fields.GENRES is 'GENRES': is given twice/],
    ['a field name is not an Avro name', items([SchemaField.categorical('GENRE-LIST'), SchemaField.ofInt('2ND')]),
      /fields.GENRE-LIST is 'GENRE-LIST': a field name must match/],
    ['the schema name does not fit the API', () => Schema.interactions(newStack(), 'S', { schemaName: 'my schema' }),
      /schemaName is 'my schema': must match/],
    ['the JSON is longer than 20000 characters', items(Array.from({ length: 700 }, (_, i) => SchemaField.categorical(`A_RATHER_LONG_FIELD_NAME_${i}`))),
      /schema is '\d+ characters': Personalize accepts at most 20000 characters of schema JSON/],
    ['the JSON does not parse', json(DatasetType.INTERACTIONS, '{"type": "record",'),
      /json is '\{"type": "record",': must be valid JSON/],
    ['the JSON is not a record', json(DatasetType.INTERACTIONS, '{"type": "enum", "symbols": []}'),
      /json is '\{"type": "enum", "symbols": \[\]\}': must be an Avro record/],
    ['the JSON record has no fields', json(DatasetType.INTERACTIONS, '{"type": "record", "name": "Interactions"}'),
      /json.fields is undefined: must be a list of fields/],
    ['the JSON record has no name', json(DatasetType.INTERACTIONS, JSON.stringify({ type: 'record', fields: IDS })),
      /json.name is undefined: an Avro record needs a name/],
    ['the JSON lacks a required field', json(DatasetType.INTERACTIONS, interactionsJson(IDS.slice(0, 2))),
      /json.fields.TIMESTAMP is undefined: an Interactions schema needs TIMESTAMP \(long\)/],
    ['the JSON has a union other than with null', json(DatasetType.INTERACTIONS, interactionsJson([...IDS, { name: 'X', type: ['int', 'string'] }])),
      /json.fields\[3\].type is \["int","string"\]: a union must be \["null", <type>\]/],
    ['the JSON has a complex type', json(DatasetType.INTERACTIONS, interactionsJson([...IDS, { name: 'TAGS', type: { type: 'array', items: 'string' } }])),
      /json.fields\[3\].type is \{"type":"array","items":"string"\}: must be one of string, int, long, float, double, boolean/],
    ['the JSON has a type Personalize does not take', json(DatasetType.INTERACTIONS, interactionsJson([...IDS, { name: 'BLOB', type: 'bytes' }])),
      /json.fields.BLOB.type is 'bytes': must be one of string, int, long, float, double, boolean/],
    ['the JSON has a field without a name', json(DatasetType.INTERACTIONS, interactionsJson([...IDS, { type: 'string' }])),
      /json.fields\[3\].name is undefined: must be a string/],
    ['the JSON has a flag that is not a boolean', json(DatasetType.INTERACTIONS, interactionsJson([...IDS, { name: 'DEVICE', type: 'string', categorical: 'yes' }])),
      /json.fields.DEVICE.categorical is 'yes': must be true or false/],
  ])('fails when %s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('fails with every problem at once', () => {
    expect(() => Schema.items(newStack(), 'S', {
      schemaName: '-bad',
      fields: [SchemaField.ofString('ITEM_ID', { optional: true }), SchemaField.ofType('PRICE', SchemaFieldType.DOUBLE, { categorical: true })],
    })).toThrow(/invalid schema at 'TestStack\/S' \(3 problems\):\n {2}- schemaName is '-bad'.*\n {2}- fields.PRICE.categorical.*\n {2}- fields.ITEM_ID/);
  });

  test('accepts JSON with required fields in any order and nullable unions either way round', () => {
    const stack = newStack();
    Schema.fromJson(stack, 'S', {
      datasetType: DatasetType.ITEMS,
      json: JSON.stringify({
        type: 'record',
        name: 'Items',
        namespace: NAMESPACE,
        fields: [
          { name: 'PRICE', type: ['float', 'null'] },
          { name: 'ITEM_ID', type: 'string' },
          { name: 'CREATION_TIMESTAMP', type: 'long' },
          { name: 'GENRES', type: ['null', 'string'], categorical: true },
          { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
        ],
        version: '1.0',
      }),
    });
    expect(warnings(stack)).toEqual([]);
  });
});
