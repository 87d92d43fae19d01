// `npm run spec:update`, run for real on a copy of the project: a newer published document (here: the
// shipped one with a served operation added, a served schema changed and an unserved tag's operation
// added) is taken in, the change is reported, and openapi.yaml, source.json and the generated types
// follow; with --from, every version's document is fetched (from a local HTTP server standing in for
// the repository's raw files) and refreshed.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { servedYaml } from '../src/engine/contract/served.js';

const root = new URL('../', import.meta.url).pathname;

describe('npm run spec:update', () => {
  it('takes a newer copy in, says what changed in the served part, and regenerates openapi.yaml and the types', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'spec-update-'));
    for (const entry of ['package.json', 'spec', 'scripts']) cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
    for (const entry of ['node_modules', 'dist']) symlinkSync(path.join(root, entry), path.join(copy, entry));
    mkdirSync(path.join(copy, 'src/generated'), { recursive: true });

    const published = JSON.parse(readFileSync(path.join(root, 'spec/sequence/2024-07-30.product.json'), 'utf8'));
    published.paths['/customers/{id}/unarchive'] = {
      post: {
        tags: ['Customers'],
        operationId: 'postCustomersByIdUnarchive',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'OK' } },
      },
    };
    published.paths['/widgets'] = { get: { tags: ['Widgets'], operationId: 'getWidgets', responses: { '200': { description: 'OK' } } } };
    published.components.schemas.Address.properties.line3 = { type: 'string' };
    const newer = path.join(copy, 'newer.json');
    writeFileSync(newer, JSON.stringify(published));

    // The npm script builds first; dist/ is already built by `npm test`, so run its second half.
    const out = execFileSync('node', ['scripts/spec-update.mjs', newer, '--commit', 'abc1234', '--committed', '2026-12-01'], {
      cwd: copy,
      encoding: 'utf8',
    });
    expect(out).toContain('published operations: 173 -> 175; served: 173 -> 175');
    expect(out).toContain('  + POST /customers/{id}/unarchive');
    expect(out).toContain('  + GET /widgets');
    expect(out).toContain('  ~ Address');

    const source = JSON.parse(readFileSync(path.join(copy, 'spec/sequence/source.json'), 'utf8'));
    expect(source).toMatchObject({
      commit: 'abc1234',
      committed: '2026-12-01',
      sha256: createHash('sha256').update(readFileSync(newer)).digest('hex'),
    });
    expect(readFileSync(path.join(copy, 'spec/sequence/2024-07-30.product.json'), 'utf8')).toBe(readFileSync(newer, 'utf8'));
    expect(readFileSync(path.join(copy, 'openapi.yaml'), 'utf8')).toBe(servedYaml(published, source));
    const types = readFileSync(path.join(copy, 'src/generated/openapi.ts'), 'utf8');
    expect(types).toContain('postCustomersByIdUnarchive');
    expect(types).toContain('line3?: string');
  }, 60_000);

  it('with --from, fetches every version the project serves and refreshes each, saying what changed', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'spec-update-'));
    for (const entry of ['package.json', 'spec', 'scripts']) cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
    for (const entry of ['node_modules', 'dist']) symlinkSync(path.join(root, entry), path.join(copy, entry));
    mkdirSync(path.join(copy, 'src/generated'), { recursive: true });
    const files: Record<string, string> = {};
    for (const version of ['2024-07-30', '2024-05-09', '2024-01-01'])
      files[`/SequenceHQ/openapi-schema/abc1234/${version}.product.json`] = readFileSync(
        path.join(root, `spec/sequence/${version}.product.json`),
        'utf8',
      );
    const older = JSON.parse(files['/SequenceHQ/openapi-schema/abc1234/2024-05-09.product.json']!);
    older.paths['/plans/{planId}/archive'] = {
      post: { tags: ['Plans'], operationId: 'archivePlan', responses: { '200': { description: 'OK' } } },
    };
    files['/SequenceHQ/openapi-schema/abc1234/2024-05-09.product.json'] = JSON.stringify(older);
    const asked: string[] = [];
    const raw = createServer((req, res) => {
      asked.push(req.url!);
      const body = files[req.url!];
      res.writeHead(body ? 200 : 404).end(body ?? '');
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/SequenceHQ/openapi-schema/abc1234/`;
      const { stdout } = await promisify(execFile)('node', ['scripts/spec-update.mjs', '--from', base, '--commit', 'abc1234'], {
        cwd: copy,
      });
      expect(asked.sort()).toEqual(Object.keys(files).sort());
      expect(stdout).toContain('2024-05-09: operations 133 -> 134\n  + POST /plans/{planId}/archive');
      expect(stdout).toContain('2024-01-01: operations 143 -> 143, unchanged');
      expect(stdout).toContain('served operations: unchanged');
      expect(readFileSync(path.join(copy, 'spec/sequence/2024-05-09.product.json'), 'utf8')).toBe(JSON.stringify(older));
      const source = JSON.parse(readFileSync(path.join(copy, 'spec/sequence/source.json'), 'utf8'));
      expect(source.versions['2024-05-09']).toEqual({ sha256: createHash('sha256').update(JSON.stringify(older)).digest('hex') });
      expect(source.commit).toBe('abc1234');
    } finally {
      raw.close();
    }
  }, 60_000);

  it('refuses a file that is not an OpenAPI 3.0 document, changing nothing', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'spec-update-'));
    for (const entry of ['package.json', 'spec', 'scripts']) cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
    for (const entry of ['node_modules', 'dist']) symlinkSync(path.join(root, entry), path.join(copy, entry));
    const bad = path.join(copy, 'bad.json');
    writeFileSync(bad, JSON.stringify({ swagger: '2.0', paths: {} }));
    const before = readFileSync(path.join(copy, 'spec/sequence/source.json'), 'utf8');
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync('node', ['scripts/spec-update.mjs', bad], { cwd: copy, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      failure = err as { status: number; stderr: string };
    }
    expect([failure?.status, failure?.stderr]).toEqual([1, expect.stringContaining('not an OpenAPI 3.0 document')]);
    expect(readFileSync(path.join(copy, 'spec/sequence/source.json'), 'utf8')).toBe(before);
  });
});
