import { validatorRequire } from './require.js';

/**
 * express-openapi-validator 5.6.2 compiles the whole OpenAPI 3.0 meta-schema with ajv at start-up
 * even with `validateApiSpec: false`, and never uses it then (about a quarter of the time to the
 * first answer, measured with --cpu-prof; docs/benchmarks.md). Its framework reads the class
 * from the module's exports when it starts, so a class that compiles on first validate() keeps every
 * behaviour (validateApiSpec: true still validates) and drops the unused work.
 */
export function compileMetaSchemaOnDemand(): void {
  const module = validatorRequire('./framework/openapi.schema.validator') as {
    OpenAPISchemaValidator: new (opts: object) => { validate(doc: unknown): { errors: unknown[] } };
    __sequenceMockLazy?: boolean;
  };
  if (module.__sequenceMockLazy) return;
  const Eager = module.OpenAPISchemaValidator;
  module.OpenAPISchemaValidator = class LazyOpenAPISchemaValidator {
    private compiled: InstanceType<typeof Eager> | undefined;
    constructor(private readonly opts: object) {}
    validate(doc: unknown) {
      return (this.compiled ??= new Eager(this.opts)).validate(doc);
    }
  };
  module.__sequenceMockLazy = true;
}
