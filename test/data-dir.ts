// A fresh directory per test for data-file tests, removed afterwards.
import { afterEach, beforeEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Before each test of the calling file, hands `use` a new directory and `<dir>/db.json` in it. */
export function useDataDir(use: (dir: string, file: string) => void): void {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sequence-mock-data-'));
    use(dir, path.join(dir, 'db.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
}
