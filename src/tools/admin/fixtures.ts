// The default fixtures: the customers Sequence's own examples refer to, so the documented request
// (whose parentId is 50af5191-…) works against a fresh fake, and the records of what the API cannot
// create (users, accounts, discounts, ...) from the document's examples (src/engine/fixtures.ts).
// The customers live in data/, not in code, in the data file's partition format (format 4:
// collections of records).
import { readFileSync } from 'node:fs';
import { describeDocument } from '../../engine/contract/operations.js';
import { loadSpec } from '../../engine/contract/spec.js';
import { documentFixtures } from '../../engine/fixtures.js';
import type { PartitionSnapshot } from '../../engine/store/types.js';

export const FIXTURES_PATH = new URL('../../../data/fixtures.json', import.meta.url);

export function loadFixtures(path: URL = FIXTURES_PATH): PartitionSnapshot {
  const { collections } = JSON.parse(readFileSync(path, 'utf8')) as PartitionSnapshot;
  return { collections: { ...documentFixtures(describeDocument(loadSpec()).collections), ...collections } };
}
