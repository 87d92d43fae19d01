// What the benchmarks share: Prism, installed on demand into the ignored bench/.prism, and a free port.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PRISM_VERSION = '5.14.2';
const prismDir = path.join(fileURLToPath(new URL('..', import.meta.url)), 'bench', '.prism');
export const prismBin = path.join(prismDir, 'node_modules', '.bin', 'prism');

export function installPrism() {
  if (existsSync(prismBin)) return;
  process.stderr.write(`installing @stoplight/prism-cli@${PRISM_VERSION} into bench/.prism ...\n`);
  mkdirSync(prismDir, { recursive: true });
  // Its own package.json, or npm would walk up and add Prism to this project's dependencies.
  writeFileSync(path.join(prismDir, 'package.json'), '{"name":"prism-bench","private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `@stoplight/prism-cli@${PRISM_VERSION}`], {
    cwd: prismDir,
    stdio: 'inherit',
  });
}

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}
