// The other fakes a team might run instead of sequence-mock, for `npm run bench`: WireMock (the npm
// `wiremock` package ships its standalone jar; Java is Debian's) and Mockoon CLI. Installed on demand
// into the ignored bench/.peers, each given what it would be given in a project:
// - WireMock: two stub mappings with the document's own examples (POST /customers answers the 201
//   example, GET /customers/{id} the 200 one), with its request journal on and off. It validates
//   nothing and keeps no state.
// - Mockoon CLI: the whole document, through its OpenAPI import (the servers' /api prefix dropped,
//   so every server is loaded on the same paths).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WIREMOCK_VERSION = '3.13.2';
export const MOCKOON_VERSION = '9.9.0';
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = path.join(root, 'bench', '.peers');
const jar = path.join(dir, 'node_modules', 'wiremock', 'build', `wiremock-standalone-${WIREMOCK_VERSION}.jar`);
const mockoonBin = path.join(dir, 'node_modules', '.bin', 'mockoon-cli');
const stubs = path.join(dir, 'wiremock');
const mockoonSpec = path.join(dir, 'openapi.json');

/** Debian's Java: found, or installed with apt-get when this runs as root. */
function java() {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    if (process.getuid?.() !== 0) throw new Error("no java: install Debian's default-jre-headless");
    execFileSync('apt-get', ['install', '-y', '-q', 'default-jre-headless'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}

export function installPeers(spec) {
  // Once, here: checking per spawn would run `java -version` before every WireMock start.
  java();
  if (!existsSync(jar) || !existsSync(mockoonBin)) {
    process.stderr.write(`installing wiremock@${WIREMOCK_VERSION} and @mockoon/cli@${MOCKOON_VERSION} into bench/.peers ...\n`);
    mkdirSync(dir, { recursive: true });
    // Its own package.json, or npm would walk up and add them to this project's dependencies.
    writeFileSync(path.join(dir, 'package.json'), '{"name":"peers-bench","private":true}\n');
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', `wiremock@${WIREMOCK_VERSION}`, `@mockoon/cli@${MOCKOON_VERSION}`],
      { cwd: dir, stdio: 'inherit' },
    );
  }
  const example = (operation, status) => {
    const media = operation.responses[status].content['application/json'];
    return media.example ?? Object.values(media.examples ?? {})[0]?.value;
  };
  mkdirSync(path.join(stubs, 'mappings'), { recursive: true });
  const json = { 'Content-Type': 'application/json', 'Sequence-Version': '2024-07-30' };
  writeFileSync(
    path.join(stubs, 'mappings', 'customers.json'),
    JSON.stringify({
      mappings: [
        {
          request: { method: 'POST', urlPath: '/customers' },
          response: { status: 201, headers: json, jsonBody: example(spec.paths['/customers'].post, '201') },
        },
        {
          request: { method: 'GET', urlPathPattern: '/customers/[^/]+' },
          response: { status: 200, headers: json, jsonBody: example(spec.paths['/customers/{id}'].get, '200') },
        },
      ],
    }),
  );
  writeFileSync(mockoonSpec, JSON.stringify({ ...spec, servers: [{ url: 'http://127.0.0.1/' }] }));
}

const wiremock = (journal) => (port) => [
  'java',
  [
    '-jar',
    jar,
    '--port',
    String(port),
    '--bind-address',
    '127.0.0.1',
    '--root-dir',
    stubs,
    '--disable-banner',
    ...(journal ? [] : ['--no-request-journal']),
  ],
];

/** The peers' commands by the name the bench prints. */
export const PEERS = {
  'wiremock (journal off)': wiremock(false),
  'wiremock (journal on)': wiremock(true),
  'mockoon-cli': (port) => [
    mockoonBin,
    ['start', '--data', mockoonSpec, '--port', String(port), '--hostname', '127.0.0.1', '--disable-log-to-file'],
  ],
};
