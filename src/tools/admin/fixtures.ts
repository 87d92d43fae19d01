// The default fixtures: the customers Sequence's own examples refer to, so the documented request
// (whose parentId is 50af5191-…) works against a fresh fake. Data lives in data/, not in code, in the
// data file's partition format (format 4: collections of records).
import { readFileSync } from 'node:fs';
import type { PartitionSnapshot } from '../../engine/store/types.js';

export const FIXTURES_PATH = new URL('../../../data/fixtures.json', import.meta.url);

export function loadFixtures(path: URL = FIXTURES_PATH): PartitionSnapshot {
  const { collections } = JSON.parse(readFileSync(path, 'utf8')) as PartitionSnapshot;
  return { collections };
}
