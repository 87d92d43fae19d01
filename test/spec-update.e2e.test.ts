// `npm run spec:update -- <file>`, run for real on a copy of the project: a newer published document
// (here: the shipped one with a served operation added, a served schema changed and an unserved tag's
// operation added) is taken in, the change is reported, and openapi.yaml, source.json and the
// generated types follow.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
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
