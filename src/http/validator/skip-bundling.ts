import { validatorRequire } from './require.js';
import { isSelfContained } from './self-contained.js';

/**
 * The validator hands the document to json-schema-ref-parser's bundle() before anything else: 0.33-0.40 s
 * with Sequence's whole document (measured with --cpu-prof), to return the very object it was given,
 * unchanged, when every `$ref` already points at a component of the document itself (checked for the
 * shipped document in test/contract.test.ts). So for such a document the object is returned as bundle()
 * would; anything else (a file path, a reference elsewhere) is still bundled upstream's way.
 */
export function skipBundlingSelfContainedDocuments(): void {
  const module = validatorRequire('./framework/index') as {
    OpenAPIFramework: { prototype: { loadSpec: (this: unknown, spec: unknown, refParser?: { mode?: string }) => unknown } };
    __sequenceMockSelfContained?: boolean;
  };
  if (module.__sequenceMockSelfContained) return;
  const upstream = module.OpenAPIFramework.prototype.loadSpec;
  module.OpenAPIFramework.prototype.loadSpec = function loadSpec(this: unknown, spec: unknown, refParser?: { mode?: string }) {
    if ((refParser?.mode ?? 'bundle') === 'bundle' && typeof spec === 'object' && spec !== null && isSelfContained(spec))
      return Promise.resolve(spec);
    return upstream.call(this, spec, refParser);
  };
  module.__sequenceMockSelfContained = true;
}
