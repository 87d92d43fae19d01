// The contract the fake enforces: openapi.yaml (the served cut of Sequence's published document,
// normalised at load by src/contract/normalise.ts), plus sequence-mock's own spec/mock.yaml, merged
// in memory once at start-up. The files on disk stay as their authors wrote them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { BASE_PATHS } from './contract/base-paths.js';
import { normalise } from './contract/normalise.js';
import { HTTP_METHODS } from './contract/served.js';
import type { Operation, OpenApiDocument } from './contract/types.js';

const root = new URL('../', import.meta.url);
export const VENDOR_SPEC_PATH = new URL('openapi.yaml', root);
export const MOCK_SPEC_PATH = new URL('spec/mock.yaml', root);
/** openapi.yaml parsed at build time (`npm run build`), with the sha256 of the text it was parsed from. */
export const PARSED_SPEC_PATH = new URL('dist/openapi.json', root);

export { BASE_PATHS };

export type { OpenApiDocument };

const METHODS = new Set<string>(HTTP_METHODS);
const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };

function localiseRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(localiseRefs);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? value.replace(/^\.\.\/openapi\.yaml#/, '#') : localiseRefs(value),
    ]),
  );
}

/**
 * js-yaml, the YAML parser express-openapi-validator's own loader uses: 5x faster than `yaml` on
 * openapi.yaml (measured: ~20 ms against ~100 ms of start-up). CORE_SCHEMA, so an unquoted date
 * stays a string, as JSON Schema expects, instead of becoming a Date.
 */
function readYaml(url: URL): OpenApiDocument {
  return load(readFileSync(url, 'utf8'), { schema: CORE_SCHEMA }) as OpenApiDocument;
}

/**
 * openapi.yaml, from the JSON `npm run build` parsed it into when that was parsed from the same text
 * (the whole document is 1.7 MB: ~220 ms of YAML at every start against ~30 ms of JSON, measured);
 * from the YAML itself otherwise, so an edited or re-imported openapi.yaml is never served stale.
 */
function readVendorSpec(): OpenApiDocument {
  const text = readFileSync(VENDOR_SPEC_PATH, 'utf8');
  try {
    const parsed = JSON.parse(readFileSync(PARSED_SPEC_PATH, 'utf8')) as { sha256?: string; document?: OpenApiDocument };
    if (parsed.sha256 === sha256(text) && parsed.document) return parsed.document;
  } catch {
    // no build-time copy (a source checkout before `npm run build`): parse the YAML
  }
  return load(text, { schema: CORE_SCHEMA }) as OpenApiDocument;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Builds the document the validator is given:
 * 1. `servers` becomes /api and /: express-openapi-validator takes its base paths from the top-level
 *    servers only, so with Sequence's absolute URLs it validated /api/customers and silently let
 *    /customers through unvalidated (measured).
 * 2. spec/mock.yaml's paths and schemas are added.
 * 3. Every error response gets the ErrorResponse body, and every operation a `default` error response:
 *    Sequence declares 400/401/500 with no content, and the validator answers 500 for any JSON
 *    body on a response declared without one (measured), and for any status not declared at all.
 *    Describing our envelope here, once, is what lets every error be validated like any response.
 */
export function loadSpec(): OpenApiDocument {
  const vendor = normalise(readVendorSpec());
  // mock.yaml points into openapi.yaml ('../openapi.yaml#/...') so it stands alone for tools;
  // merged into one document, those become local references.
  const mock = localiseRefs(readYaml(MOCK_SPEC_PATH)) as OpenApiDocument;
  const doc: OpenApiDocument = {
    ...vendor,
    servers: BASE_PATHS.map((url) => ({ url })),
    paths: { ...vendor.paths, ...mock.paths },
    components: {
      ...vendor.components,
      ...mock.components,
      schemas: { ...vendor.components?.schemas, ...mock.components?.schemas },
    },
  };
  for (const pathItem of Object.values(doc.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!METHODS.has(method)) continue;
      const responses = ((operation as Operation).responses ??= {});
      for (const [status, response] of Object.entries(responses)) {
        const isError = status === 'default' || Number(status) >= 400;
        if (isError && Object.keys(response.content ?? {}).length === 0) {
          responses[status] = { ...response, content: ERROR_CONTENT };
        }
      }
      responses.default ??= { description: 'Error (sequence-mock envelope)', content: ERROR_CONTENT };
    }
  }
  return doc;
}
