import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { DatasetGroupDomain } from '../src/dataset-group';
import { DatasetType, Schema } from '../src/schema';
import { SchemaField, SchemaFieldType } from '../src/schema-field';

/**
 * The documented schema rules of issue 27, each with the developer guide's page: the domains'
 * "datasets and schemas" pages, "Custom datasets and schemas" and the quotas page.
 */

const NAMESPACE = 'com.amazonaws.personalize.schema';
const js = (value: unknown): any => value;

function newStack(): Stack {
  return new Stack(new App(), 'Rules', { env: { account: '123456789012', region: 'us-west-2' } });
}

function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => String(w.entry.data));
}

function record(name: string, fields: unknown[]): string {
  return JSON.stringify({ type: 'record', name, namespace: NAMESPACE, fields, version: '1.0' });
}

const ECOMMERCE = DatasetGroupDomain.ECOMMERCE;
const VOD = DatasetGroupDomain.VIDEO_ON_DEMAND;

describe('the domains\' default schemas, as the guide gives them, pass without warnings', () => {
  test.each<[string, DatasetGroupDomain, DatasetType, unknown[]]>([
    // ECOMMERCE-datasets-and-schemas.html
    ['ECOMMERCE Interactions', ECOMMERCE, DatasetType.INTERACTIONS, [
      { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
      { name: 'EVENT_TYPE', type: 'string' }, { name: 'EVENT_VALUE', type: ['null', 'float'] }, { name: 'IMPRESSION', type: ['null', 'string'] },
    ]],
    ['ECOMMERCE Items', ECOMMERCE, DatasetType.ITEMS, [
      { name: 'ITEM_ID', type: 'string' }, { name: 'PRICE', type: 'float' }, { name: 'CATEGORY_L1', type: 'string', categorical: true },
      { name: 'CATEGORY_L2', type: ['null', 'string'], categorical: true }, { name: 'PRODUCT_DESCRIPTION', type: ['null', 'string'], textual: true },
      { name: 'GENDER', type: ['null', 'string'], categorical: true }, { name: 'CREATION_TIMESTAMP', type: 'long' },
    ]],
    ['ECOMMERCE Users', ECOMMERCE, DatasetType.USERS, [{ name: 'USER_ID', type: 'string' }, { name: 'MEMBERSHIP_STATUS', type: 'string', categorical: true }]],
    // VIDEO-ON-DEMAND-datasets-and-schemas.html
    ['VIDEO_ON_DEMAND Items', VOD, DatasetType.ITEMS, [
      { name: 'ITEM_ID', type: 'string' }, { name: 'GENRES', type: 'string', categorical: true }, { name: 'CREATION_TIMESTAMP', type: 'long' },
      { name: 'GENRE_L2', type: ['null', 'string'], categorical: true }, { name: 'AVERAGE_RATING', type: ['null', 'float'] },
      { name: 'PRODUCT_DESCRIPTION', type: ['null', 'string'], textual: true }, { name: 'CONTENT_CLASSIFICATION', type: ['null', 'string'], categorical: true },
    ]],
    ['VIDEO_ON_DEMAND Users', VOD, DatasetType.USERS, [{ name: 'USER_ID', type: 'string' }, { name: 'SUBSCRIPTION_MODEL', type: 'string', categorical: true }]],
  ])('%s', (_, domain, datasetType, fields) => {
    const stack = newStack();
    Schema.fromJson(stack, 'S', { domain, datasetType, json: record(datasetType, fields) });
    expect(warnings(stack)).toEqual([]);
  });
});

describe('a domain schema missing a required field, or with a reserved keyword of the wrong kind, fails (the domains\' pages)', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['an ECOMMERCE Interactions schema without EVENT_TYPE', () => Schema.interactions(newStack(), 'S', { domain: ECOMMERCE }),
      /invalid schema at 'Rules\/S'.*\n.*fields.EVENT_TYPE is undefined: an ECOMMERCE Interactions schema needs EVENT_TYPE \(string\)/],
    ['a VIDEO_ON_DEMAND Interactions schema without EVENT_TYPE', () => Schema.interactions(newStack(), 'S', { domain: VOD }),
      /fields.EVENT_TYPE is undefined: a VIDEO_ON_DEMAND Interactions schema needs EVENT_TYPE \(string\)/],
    ['an ECOMMERCE Items schema without PRICE and CATEGORY_L1', () => Schema.items(newStack(), 'S', { domain: ECOMMERCE, fields: [SchemaField.categorical('BRAND')] }),
      /fields.PRICE is undefined: an ECOMMERCE Items schema needs PRICE \(float\)\n.*fields.CATEGORY_L1 is undefined: an ECOMMERCE Items schema needs CATEGORY_L1 \(categorical string\)/],
    ['a VIDEO_ON_DEMAND Items schema without GENRES and CREATION_TIMESTAMP', () => Schema.items(newStack(), 'S', { domain: VOD, fields: [SchemaField.ofFloat('DURATION')] }),
      /fields.GENRES is undefined: a VIDEO_ON_DEMAND Items schema needs GENRES \(categorical string\)\n.*fields.CREATION_TIMESTAMP is undefined/],
    ['a categorical keyword that is not categorical', () => Schema.items(newStack(), 'S', {
      domain: ECOMMERCE, fields: [SchemaField.ofFloat('PRICE'), SchemaField.ofString('CATEGORY_L1')],
    }), /fields.CATEGORY_L1 is 'string': CATEGORY_L1 is a categorical string in an ECOMMERCE Items schema: set categorical/],
    ['a plain string keyword that is categorical', () => Schema.interactions(newStack(), 'S', {
      domain: VOD, fields: [SchemaField.ofString('EVENT_TYPE'), SchemaField.categorical('IMPRESSION')],
    }), /fields.IMPRESSION is 'string': IMPRESSION is a reserved string in a VIDEO_ON_DEMAND Interactions schema, which cannot be categorical/],
    ['a textual keyword that is not textual', () => Schema.items(newStack(), 'S', {
      domain: VOD, fields: [SchemaField.categorical('GENRES'), SchemaField.ofLong('CREATION_TIMESTAMP'), SchemaField.ofString('PRODUCT_DESCRIPTION')],
    }), /PRODUCT_DESCRIPTION is a textual string in a VIDEO_ON_DEMAND Items schema: set textual/],
    ['a float keyword given as a string', () => Schema.items(newStack(), 'S', {
      domain: ECOMMERCE, fields: [SchemaField.ofString('PRICE'), SchemaField.categorical('CATEGORY_L1')],
    }), /fields.PRICE is 'string': PRICE must be float/],
  ])('%s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('a domain required field given as a plain JSON object without a type checker fails the same way', () => {
    expect(() => Schema.fromJson(newStack(), 'S', js({
      domain: 'ECOMMERCE', datasetType: 'Items', json: record('Items', [{ name: 'ITEM_ID', type: 'string' }, { name: 'BRAND', type: 'string', categorical: true }]),
    }))).toThrow(/fields.PRICE is undefined: an ECOMMERCE Items schema needs PRICE/);
  });

  test('the same fields in a custom schema are metadata, not reserved', () => {
    const stack = newStack();
    Schema.items(stack, 'S', { fields: [SchemaField.ofString('CATEGORY_L1'), SchemaField.ofType('PRICE', SchemaFieldType.DOUBLE)] });
    expect(warnings(stack)).toEqual([]);
  });
});

describe('EVENT_VALUE is float ("Custom datasets and schemas"); double only warns', () => {
  test('an int or string EVENT_VALUE fails', () => {
    expect(() => Schema.interactions(newStack(), 'S', { fields: [SchemaField.ofInt('EVENT_VALUE')] })).toThrow(/fields.EVENT_VALUE is 'int': EVENT_VALUE must be float/);
    expect(() => Schema.interactions(newStack(), 'S', { fields: [SchemaField.ofString('EVENT_VALUE')] })).toThrow(/fields.EVENT_VALUE is 'string': EVENT_VALUE must be float/);
  });

  test('an ECOMMERCE CREATION_TIMESTAMP of float warns: its Items page says float, every other page long', () => {
    const stack = newStack();
    Schema.items(stack, 'S', { domain: ECOMMERCE, fields: [SchemaField.ofFloat('PRICE'), SchemaField.categorical('CATEGORY_L1'), SchemaField.ofFloat('CREATION_TIMESTAMP')] });
    expect(warnings(stack)).toEqual([expect.stringMatching(/fields.CREATION_TIMESTAMP is 'float': the guide gives CREATION_TIMESTAMP the type long; float is believed accepted/)]);
  });
});

describe('metadata fields per schema ("Custom datasets and schemas"; the quotas page for Item interactions)', () => {
  const fields = (n: number, make: (name: string) => SchemaField) => Array.from({ length: n }, (_, i) => make(`ATTR_${i}`));

  test.each<[string, () => unknown, RegExp]>([
    ['6 in an Interactions schema (at most 5)', () => Schema.interactions(newStack(), 'S', { fields: fields(6, SchemaField.categorical) }),
      /fields is '6 metadata fields \(ATTR_0, .*\)': an Interactions schema has at most 5 fields besides USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE/],
    ['26 in a Users schema (at most 25)', () => Schema.users(newStack(), 'S', { fields: fields(26, SchemaField.categorical) }),
      /fields is '26 metadata fields .*': a Users schema has at most 25 fields besides USER_ID/],
    ['101 in an Items schema (at most 100)', () => Schema.items(newStack(), 'S', { fields: fields(101, SchemaField.ofInt) }),
      /fields is '101 metadata fields .*': an Items schema has at most 100 fields besides ITEM_ID, CREATION_TIMESTAMP/],
  ])('%s fails', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('the limits themselves pass, reserved fields not counted', () => {
    const stack = newStack();
    Schema.interactions(stack, 'I', { fields: [...fields(5, SchemaField.categorical), SchemaField.ofString('EVENT_TYPE'), SchemaField.ofFloat('EVENT_VALUE')] });
    Schema.users(stack, 'U', { fields: fields(25, SchemaField.categorical) });
    Schema.items(stack, 'T', { fields: [...fields(100, SchemaField.ofInt), SchemaField.ofLong('CREATION_TIMESTAMP')] });
    expect(warnings(stack)).toEqual([]);
  });
});
