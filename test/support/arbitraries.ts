// fast-check arbitraries made from openapi.yaml's own schemas, so the property tests follow the
// spec as it is rather than a copy of it. Covers the JSON Schema the Customers spec uses: local
// $ref, objects with required and optional properties, strings (with enums), booleans, numbers
// and arrays.
import fc from 'fast-check';
import { spec } from '../helpers.js';

type Schema = {
  $ref?: string;
  type?: string;
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

export function arbitraryFor(schema: Schema): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'string':
      return anyString;
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer();
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'array':
      return fc.array(arbitraryFor(s.items ?? {}), { maxLength: 4 });
    case 'object':
    default: {
      const properties = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([name, prop]) => [name, arbitraryFor(prop)]));
      return fc.record(model, { requiredKeys: (s.required ?? []) as never[] });
    }
  }
}

export const schemaNamed = (name: string): Schema => schemas[name]!;

/** The enum values of a named schema, e.g. the states a US address may take. */
export const enumOf = (name: string): string[] => (schemas[name]!.enum ?? []) as string[];
