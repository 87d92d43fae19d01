import { unescapeToken } from '../../engine/contract/pointer.js';
import { validatorRequire } from './require.js';

/**
 * At start-up the schema preprocessor resolves every `$ref` it meets with `ajv.getSchema(ref).schema`:
 * ajv compiles the whole referenced schema (code generation included) only for the preprocessor to
 * read back the object it was given, on an ajv instance used for nothing else. With Sequence's whole
 * document that was 0.9 s of a 1.8 s start (measured with --cpu-prof). For a reference to a component
 * schema by name, the object ajv hands back is the one the document holds
 * (`ajv.addSchema(components.schemas[id], '#/components/schemas/' + id)`), so it is read from the
 * document instead; any other reference goes the upstream way. test/contract.test.ts checks both give
 * the same object for every schema of the published document.
 */
export function resolveComponentSchemasByName(): void {
  const module = validatorRequire('./middlewares/parsers/schema.preprocessor') as {
    SchemaPreprocessor: { prototype: { resolveSchema: (this: PreprocessorLike, schema: unknown) => unknown } };
    __sequenceMockResolve?: boolean;
  };
  if (module.__sequenceMockResolve) return;
  const upstream = module.SchemaPreprocessor.prototype.resolveSchema;
  module.SchemaPreprocessor.prototype.resolveSchema = function resolveSchema(this: PreprocessorLike, schema: unknown) {
    const ref = (schema as { $ref?: unknown } | null | undefined)?.$ref;
    if (typeof ref === 'string' && !this.resolvedSchemaCache.has(ref)) {
      const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
      const name = match && unescapeToken(match[1]!);
      const schemas = this.apiDoc.components?.schemas;
      if (name && schemas && Object.hasOwn(schemas, name)) {
        this.resolvedSchemaCache.set(ref, schemas[name]);
        return schemas[name];
      }
    }
    return upstream.call(this, schema);
  };
  module.__sequenceMockResolve = true;
}
interface PreprocessorLike {
  resolvedSchemaCache: Map<string, unknown>;
  apiDoc: { components?: { schemas?: Record<string, unknown> } };
  resolveSchema(schema: unknown): unknown;
}
