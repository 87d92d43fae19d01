// Ten patches to express-openapi-validator 5.6.2's internals, each for a cost measured with
// --cpu-prof and each behaviour-preserving, one module each (docs/upstream.md gives each one's gain,
// measured side by side). They must be in place before the validator's modules load, so
// src/http/openapi.ts imports this module first. SEQUENCE_MOCK_UNPATCHED=<name>,<name> leaves the
// named ones out: that is how docs/upstream.md measures each; nothing else should set it.
import { copyDocumentsNatively } from './copy-natively.js';
import { cacheRouteMatchers } from './route-matchers.js';
import { compileMetaSchemaOnDemand } from './meta-schema.js';
import { lookupRoutesFromTable } from './route-table.js';
import { resolveComponentSchemasByName } from './component-refs.js';
import { skipBundlingSelfContainedDocuments } from './skip-bundling.js';
import { addComponentSchemasOnDemand } from './components-on-demand.js';
import { makeAjvOnFirstUse } from './lazy-ajv.js';
import { compileWithoutWalkingTheDocument } from './hidden-document.js';
import { gatherErrorsLinearly } from './linear-errors.js';

/** Each patch by the name SEQUENCE_MOCK_UNPATCHED takes, in the order they are applied. */
export const PATCHES: readonly [string, () => void][] = [
  ['copy-natively', copyDocumentsNatively],
  ['route-matchers', cacheRouteMatchers],
  ['meta-schema', compileMetaSchemaOnDemand],
  ['route-table', lookupRoutesFromTable],
  ['component-refs', resolveComponentSchemasByName],
  ['skip-bundling', skipBundlingSelfContainedDocuments],
  ['components-on-demand', addComponentSchemasOnDemand],
  ['lazy-ajv', makeAjvOnFirstUse],
  ['hidden-document', compileWithoutWalkingTheDocument],
  ['linear-errors', gatherErrorsLinearly],
];

const left = new Set((process.env.SEQUENCE_MOCK_UNPATCHED ?? '').split(',').filter(Boolean));
for (const [name, apply] of PATCHES) if (!left.has(name)) apply();
