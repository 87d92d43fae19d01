// The contract the fake enforces: openapi.yaml (the served cut of Sequence's published document,
// normalised at load by src/contract/normalise.ts), plus sequence-mock's own spec/mock.yaml, merged
// in memory once at start-up. The files on disk stay as their authors wrote them.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { BASE_PATHS } from './base-paths.js';
import { normalise } from './normalise.js';
import { HTTP_METHODS } from './served.js';
import type { Operation, OpenApiDocument } from './types.js';

const root = new URL('../../../', import.meta.url);
export const VENDOR_SPEC_PATH = new URL('openapi.yaml', root);
export const MOCK_SPEC_PATH = new URL('spec/mock.yaml', root);
/** The merged document as `npm run build` made it, with the sha256 of the files it was made from. */
export const PARSED_SPEC_PATH = new URL('dist/openapi.json', root);
/** The files the served document is made from. */
export const SOURCE_PATHS = [VENDOR_SPEC_PATH, MOCK_SPEC_PATH];

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

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What the build-time copy was made from: both files' text. */
export function specSources(): string {
  return sha256(SOURCE_PATHS.map((url) => readFileSync(url, 'utf8')).join(''));
}

/**
 * The merged document, from the copy `npm run build` made of it (dist/openapi.json) while that was made
 * from the same openapi.yaml and spec/mock.yaml, by this build's code; made from the files otherwise,
 * so an edited or re-imported document is never served stale. The whole document is 1.7 MB of YAML:
 * parsing, normalising and merging it took ~330 ms of every start, reading the copy ~35 ms (measured).
 */
export function loadSpec(): OpenApiDocument {
  const files = statSignature([...SOURCE_PATHS, PARSED_SPEC_PATH]);
  if (loaded?.files === files) return loaded.document;
  loaded = { files, document: readSpec() };
  return loaded.document;
}

/**
 * The last document loaded, and the size and modification time of the files it came from: a second
 * server in the same process (a jest file starting its own fake) gets the same object, and with it
 * everything the app made of it (src/app.ts), instead of reading 1.5 MB again.
 */
let loaded: { files: string; document: OpenApiDocument } | undefined;

/** Size and modification time of each file: what `ls -l` would show changing after an edit. */
export function statSignature(urls: URL[]): string {
  return urls
    .map((url) => {
      const stat = statSync(url, { throwIfNoEntry: false });
      return stat ? `${stat.size}:${stat.mtimeMs}` : '-';
    })
    .join(' ');
}

function readSpec(): OpenApiDocument {
  try {
    const copy = JSON.parse(readFileSync(PARSED_SPEC_PATH, 'utf8')) as BuiltCopy;
    const document = currentCopy(copy, statSignature(SOURCE_PATHS), specSources);
    if (document) return document;
  } catch {
    // no build-time copy (a source checkout before `npm run build`): make it from the files
  }
  return buildSpec();
}

/** dist/openapi.json: the document, the sha256 of the files it was made from, and their sizes and times. */
export interface BuiltCopy {
  sources?: string;
  files?: string;
  document?: OpenApiDocument;
}

/**
 * The build-time copy's document if it was made from the files as they are now: their sizes and
 * modification times are those recorded at build (which skips hashing 1.7 MB, 21 ms of every start,
 * measured), or else their text hashes the same.
 */
export function currentCopy(copy: BuiltCopy, files: string, sources: () => string): OpenApiDocument | undefined {
  if (!copy.document) return undefined;
  return copy.files === files || copy.sources === sources() ? copy.document : undefined;
}

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
export function buildSpec(): OpenApiDocument {
  // mock.yaml points into openapi.yaml ('../openapi.yaml#/...') so it stands alone for tools;
  // merged into one document, those become local references.
  return served(normalise(readYaml(VENDOR_SPEC_PATH)), localiseRefs(readYaml(MOCK_SPEC_PATH)) as OpenApiDocument);
}

/** A published document as served: steps 1 to 3 above, with `mock`'s paths and schemas. */
function served(vendor: OpenApiDocument, mock: OpenApiDocument): OpenApiDocument {
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

/** Sequence's published documents, one per API version, as shipped: spec/sequence/<version>.product.json. */
export const PUBLISHED_DIR = new URL('spec/sequence/', root);
const PUBLISHED = /^(\d{4}-\d{2}-\d{2})\.product\.json$/;

/** The API versions there is a document for, newest first (the first is the one openapi.yaml serves). */
export function publishedVersions(): string[] {
  return (versions ??= readdirSync(PUBLISHED_DIR)
    .flatMap((file) => PUBLISHED.exec(file)?.[1] ?? [])
    .sort()
    .reverse());
}
let versions: string[] | undefined;

const older = new Map<string, OpenApiDocument>();

/**
 * The document an older version is served from, made from its published file on first use and kept:
 * a client of the current version never pays for reading the others (docs/versions.md).
 */
export function loadVersionSpec(version: string): OpenApiDocument {
  let document = older.get(version);
  if (!document) {
    const vendor = JSON.parse(readFileSync(new URL(`${version}.product.json`, PUBLISHED_DIR), 'utf8')) as OpenApiDocument;
    // The admin API is the current document's; the error envelope every answer may carry is everyone's.
    const mock = localiseRefs(readYaml(MOCK_SPEC_PATH)) as OpenApiDocument;
    older.set(version, (document = served(normalise(vendor), { ...mock, paths: {} })));
  }
  return document;
}
