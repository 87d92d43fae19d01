// Whether a document is self-contained (every $ref names one of its own components): two patches
// skip work upstream does for documents that are not.
import { unescapeToken } from '../../engine/contract/pointer.js';

const selfContained = new WeakMap<object, { paths: unknown; contained: boolean }>();
/**
 * onlyComponentRefs, remembered per document (by its components and paths objects): two patches ask
 * it of the same document at start-up, and the walk is 30 ms with Sequence's whole document.
 */
export function isSelfContained(document: { paths?: unknown; components?: unknown }): boolean {
  const key = document.components;
  if (typeof key !== 'object' || key === null) return onlyComponentRefs(document);
  const known = selfContained.get(key);
  if (known && known.paths === document.paths) return known.contained;
  const contained = onlyComponentRefs(document);
  selfContained.set(key, { paths: document.paths, contained });
  return contained;
}

/** Whether every `$ref` in the document is `#/components/<kind>/<name>` naming something the document has. */
export function onlyComponentRefs(document: object): boolean {
  const components = (document as { components?: Record<string, Record<string, unknown> | undefined> }).components ?? {};
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) pending.push(item);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') {
        const match = typeof value === 'string' ? /^#\/components\/([^/]+)\/([^/]+)$/.exec(value) : null;
        if (!match || components[match[1]!]?.[unescapeToken(match[2]!)] === undefined) return false;
      } else if (typeof value === 'object' && value !== null) {
        pending.push(value);
      }
    }
  }
  return true;
}
