// The shape of the tree, checked by reading it: one engine, resources as plug-ins that import only
// the engine, imports that run one way, one registry listing exactly the plug-in folders. eslint
// enforces the same import rules as code is written (eslint.config.js); this reads every import
// itself, so a change to the lint configuration cannot quietly drop them.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PLUGINS } from '../src/resources/registry.js';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import of a module, resolved to a path under src/ (without extension). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
    path.relative(src, path.resolve(path.dirname(file), m[1]!)),
  );
}

const files = sources(src).map((file) => ({ file: path.relative(src, file), imports: importsOf(file) }));
const layer = (module: string): string => module.split(path.sep)[0]!.replace(/\.ts$/, '');

describe('the tree', () => {
  it('has one plug-in per folder under src/resources, each listed once in the registry, each with its docs page', () => {
    const folders = readdirSync(path.join(src, 'resources')).filter((name) => statSync(path.join(src, 'resources', name)).isDirectory());
    expect(PLUGINS.map((plugin) => plugin.name).sort()).toEqual(folders.sort());
    for (const plugin of PLUGINS) expect([plugin.name, existsSync(path.join(root, plugin.page))]).toEqual([plugin.name, true]);
  });

  it('has resources that import only the engine, the generated types and their own folder', () => {
    const strays = files
      .filter(({ file }) => file.startsWith(`resources${path.sep}`) && file.split(path.sep).length > 2)
      .flatMap(({ file, imports }) => {
        const own = file.split(path.sep).slice(0, 2).join(path.sep);
        return imports
          .filter((i) => !i.startsWith(`engine${path.sep}`) && !i.startsWith(`generated${path.sep}`) && !i.startsWith(own + path.sep))
          .map((i) => `${file} -> ${i}`);
      });
    expect(strays).toEqual([]);
  });

  it('has imports that run one way: engine <- resources <- http <- tools <- app', () => {
    const below: Record<string, string[]> = {
      engine: ['engine', 'generated'],
      http: ['engine', 'generated', 'http'],
    };
    const strays = files.flatMap(({ file, imports }) => {
      const allowed = below[layer(file)];
      return allowed ? imports.filter((i) => !allowed.includes(layer(i))).map((i) => `${file} -> ${i}`) : [];
    });
    expect(strays).toEqual([]);
  });

  it('keeps every module under 300 lines (generated code aside) and has no double casts', () => {
    const long = files.filter(({ file }) => readFileSync(path.join(src, file), 'utf8').split('\n').length > 300).map((f) => f.file);
    const casts = files.filter(({ file }) => readFileSync(path.join(src, file), 'utf8').includes(' as unknown as ')).map((f) => f.file);
    expect({ long, casts }).toEqual({ long: [], casts: [] });
  });
});
