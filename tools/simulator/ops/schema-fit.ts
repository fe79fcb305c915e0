// Whether a schema fits the dataset it is attached to (open fact 43: Personalize is modelled to check
// at CreateDataset, where the dataset type is first known).
import { invalidInput } from '../errors';

/** Required fields per dataset type (upper case), with their Avro type; a domain adds its own. */
const REQUIRED: Record<string, Record<string, string>> = {
  INTERACTIONS: { USER_ID: 'string', ITEM_ID: 'string', TIMESTAMP: 'long' },
  ITEMS: { ITEM_ID: 'string' },
  USERS: { USER_ID: 'string' },
  ACTIONS: { ACTION_ID: 'string' },
  ACTION_INTERACTIONS: { USER_ID: 'string', ACTION_ID: 'string', TIMESTAMP: 'long', EVENT_TYPE: 'string' },
};

/** The domains' required fields ("ECOMMERCE / VIDEO_ON_DEMAND datasets and schemas"). */
const DOMAIN_REQUIRED: Record<string, Record<string, Record<string, string>>> = {
  ECOMMERCE: { INTERACTIONS: { EVENT_TYPE: 'string' }, ITEMS: { PRICE: 'float', CATEGORY_L1: 'string' } },
  VIDEO_ON_DEMAND: { INTERACTIONS: { EVENT_TYPE: 'string' }, ITEMS: { GENRES: 'string', CREATION_TIMESTAMP: 'long' } },
};

/** Throws InvalidInputException when `schemaJson` lacks a field `datasetType` (of `domain`) requires, or has it of another type. */
export function checkSchemaFitsDataset(schemaJson: string, datasetType: string, domain: string | undefined): void {
  const fields = new Map<string, string>();
  for (const f of (JSON.parse(schemaJson) as { fields: Array<{ name?: unknown; type?: unknown }> }).fields) {
    const types = (Array.isArray(f.type) ? f.type : [f.type]).filter(t => t !== 'null');
    if (typeof f.name === 'string') fields.set(f.name, String(types[0]));
  }
  const required = { ...REQUIRED[datasetType], ...(domain ? DOMAIN_REQUIRED[domain]?.[datasetType] : undefined) };
  for (const [name, type] of Object.entries(required)) {
    const actual = fields.get(name);
    if (actual === undefined) throw invalidInput(`The schema is missing the required field ${name} for a ${domain ? `${domain} ` : ''}${datasetType} dataset`);
    if (actual !== type) throw invalidInput(`Field ${name} of a ${datasetType} dataset must be of type ${type}, not ${actual}`);
  }
}
