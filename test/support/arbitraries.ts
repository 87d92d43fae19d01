// fast-check arbitraries made from openapi.yaml's own schemas, so the property tests follow the
// spec as it is rather than a copy of it. Covers the JSON Schema the Customers spec uses: local
// $ref, objects with required and optional properties, strings (with enums), booleans, numbers
// and arrays.
import fc from 'fast-check';
import { spec } from '../helpers.js';

type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
};

const schemas = (spec.components as { schemas: Record<string, Schema> }).schemas;

function resolve(schema: Schema): Schema {
  return schema.$ref ? resolve(schemas[schema.$ref.replace('#/components/schemas/', '')]!) : schema;
}

/**
 * Strings a client might really send: ASCII, full Unicode (emoji, right-to-left scripts, NUL and
 * other control characters), and the empty string.
 */
const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', 'مرحبا', '👩‍💻 Ltd', 'a'.repeat(2000)),
);

/**
 * Values for a schema of the document. Past `depth` levels (schemas of the whole document nest and
 * recurse) only what is required is generated. Formats get values of that format half the time.
 */
export function arbitraryFor(schema: Schema, depth = 6): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const value = arbitraryOf(s, depth);
  return s.nullable ? fc.oneof(value, fc.constant(null)) : value;
}

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid(),
  'date-time': fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  date: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  email: fc.emailAddress(),
};

function arbitraryOf(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  const branches = s.oneOf ?? s.anyOf;
  if (branches?.length) return fc.oneof(...branches.map((branch) => arbitraryFor(branch, depth)));
  if (s.allOf?.length) {
    const parts = s.allOf.map(resolve);
    return arbitraryFor(
      {
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<string, Schema>,
        required: parts.flatMap((p) => p.required ?? []),
      },
      depth,
    );
  }
  switch (s.type) {
    case 'string':
      return s.format && FORMATS[s.format] ? fc.oneof(FORMATS[s.format]!, anyString) : anyString;
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer();
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'array':
      return depth <= 0 ? fc.constant([]) : fc.array(arbitraryFor(s.items ?? {}, depth - 1), { maxLength: 3 });
    case 'object':
    default: {
      const required = new Set(s.required ?? []);
      const properties = Object.entries(s.properties ?? {}).filter(([name]) => depth > 0 || required.has(name));
      if (properties.length === 0 && s.type !== 'object' && !s.additionalProperties) return fc.jsonValue({ maxDepth: 2 });
      const model = Object.fromEntries(properties.map(([name, prop]) => [name, arbitraryFor(prop, depth - 1)]));
      return fc.record(model, { requiredKeys: [...required].filter((name) => name in model) as never[] });
    }
  }
}

export const schemaNamed = (name: string): Schema => schemas[name]!;

/** The enum values of a named schema, e.g. the states a US address may take. */
export const enumOf = (name: string): string[] => (schemas[name]!.enum ?? []) as string[];
