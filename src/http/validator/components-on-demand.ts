import { validatorRequire, wrapAjvFactories } from './require.js';

/**
 * Every ajv instance the validator makes starts by walking the whole document for `x-stoplight` keys and
 * adding every component schema, each add walking that schema for ids (json-schema-traverse: 0.2 s of
 * the first request with Sequence's whole document, measured with --cpu-prof; a request needs a handful
 * of the 700 schemas). So an instance is made from the document without its components, and each
 * component schema is added, under the same key upstream uses, when ajv first looks that key up
 * (compiling a `$ref` or getSchema). The `x-stoplight` clean-up still runs, once per document.
 */
export function addComponentSchemasOnDemand(): void {
  type Doc = { openapi: string; components?: { schemas?: Record<string, object> } };
  type AjvLike = { schemas: Record<string, unknown>; addSchema(schema: object, key: string): unknown };
  type Factory = (spec: Doc, options?: unknown) => AjvLike;
  const traverse = validatorRequire('json-schema-traverse') as (
    doc: object,
    o: object,
    visit: (schema: Record<string, unknown>) => void,
  ) => void;
  const cleaned = new WeakSet<object>();
  wrapAjvFactories<Factory>('__sequenceMockOnDemand', (make) => (spec, options) => {
    if (!cleaned.has(spec)) {
      // Upstream's clean-up, verbatim, once per document instead of once per instance.
      traverse(spec, { allKeys: true }, (schema) => {
        if ('x-stoplight' in schema) delete schema['x-stoplight'];
      });
      cleaned.add(spec);
    }
    const ajv = make({ openapi: spec.openapi }, options);
    const components = spec.components?.schemas ?? {};
    for (const id of Object.keys(components)) {
      const key = `#/components/schemas/${id}`;
      Object.defineProperty(ajv.schemas, key, {
        configurable: true,
        enumerable: true,
        get() {
          delete ajv.schemas[key];
          ajv.addSchema(components[id]!, key);
          return ajv.schemas[key];
        },
      });
    }
    return ajv;
  });
}
