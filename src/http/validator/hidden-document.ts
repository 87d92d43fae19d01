import { validatorRequire } from './require.js';
import { isSelfContained } from './self-contained.js';

/**
 * Each route's validators are compiled from a root schema that carries the whole document (`paths` and
 * `components`) so that `#/components/...` references resolve inside it, and ajv walks that root for
 * ids as it adds it: 0.1 s per compiled schema with Sequence's whole document (two per operation for
 * the request, one per response status in strict mode; measured with --cpu-prof). When every `$ref` of
 * the document names one of its components, references resolve to the component schemas ajv already
 * holds under those very keys (ajv looks up added schemas before the root), and the root's copies are
 * only read by JSON pointer, which does not need them enumerable. So for such a document the two
 * properties are kept but hidden from the walk.
 */
export function compileWithoutWalkingTheDocument(): void {
  type Schema = Record<string, unknown> & { paths?: object; components?: object };
  const module = validatorRequire('./middlewares/util') as {
    useAjvCache: (ajv: unknown, schema: Schema, key: string) => unknown;
    __sequenceMockHidden?: boolean;
  };
  if (module.__sequenceMockHidden) return;
  const upstream = module.useAjvCache;
  module.useAjvCache = (ajv, schema, key) => {
    const { paths, components } = schema;
    if (paths && components) {
      if (isSelfContained({ paths, components })) {
        Object.defineProperty(schema, 'paths', { value: paths, enumerable: false, writable: true, configurable: true });
        Object.defineProperty(schema, 'components', { value: components, enumerable: false, writable: true, configurable: true });
      }
    }
    return upstream(ajv, schema, key);
  };
  module.__sequenceMockHidden = true;
}
