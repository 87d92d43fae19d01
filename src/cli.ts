#!/usr/bin/env -S node --max-semi-space-size=8 --single-threaded-gc --no-allocation-site-pretenuring
// The sequence-mock command: flags over environment over defaults, then serve until a signal.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  checkCombination,
  ConfigError,
  configFromEnv,
  parseCount,
  parseHosts,
  parseLogFormat,
  parseLogLevel,
  parsePort,
  parseSeed,
  parseUpstream,
  type Config,
} from './config.js';
import { start } from './server.js';
import { DataFileError } from './engine/store/data-file-error.js';

const HELP = `Usage: sequence-mock [options]
       sequence-mock verify --upstream <url> [--json]   (see sequence-mock verify --help)

A local, spec-strict, stateful fake of Sequence's API (every operation of 2024-07-30).
Open http://<host>:<port>/ in a browser for the dashboard (/__admin/ui).

Options (each mirrors an environment variable; flags win):
  --port <n>            port to listen on (PORT, default 4010; 0 picks a free one)
  --host <addr>         address to bind (HOST, default 127.0.0.1)
  --log-level <level>   fatal|error|warn|info|debug|trace|silent (LOG_LEVEL, default info)
  --log-format <fmt>    json|pretty|auto: auto is pretty on a terminal, JSON otherwise (LOG_FORMAT, default auto)
  --fixtures            load the documented example customers into each partition (FIXTURES, default)
  --no-fixtures         start every partition empty (FIXTURES=false)
  --strict              validate every response against openapi.yaml (STRICT=true)
  --data <file>         keep state in this JSON file across restarts (DATA_FILE; default: memory)
  --seed <n[:seed]>     add n faker customers to each new partition, from seed (SEED, default 1)
  --journal-size <n>    requests the journal keeps (JOURNAL_SIZE, default 1000)
  --max-partitions <n>  partitions kept, in memory and in --data; the least recently used goes
                        (MAX_PARTITIONS, default 1000)
  --allowed-hosts <a,b> Host names the admin API accepts besides localhost, IP addresses and
                        single-label names; * for any (ALLOWED_HOSTS)
  --upstream <url>      be a validating proxy in front of Sequence at this base URL (UPSTREAM)
  --record <file>       with --upstream: keep what it answers in this data file, for --data (RECORD_FILE)
  -h, --help            show this help
  -v, --version         print the version

Environment only:
  SEQUENCE_MOCK_CREDENTIALS=id:secret,id2:secret2   accept only these credentials (default: any)
  ADMIN_TOKEN=...                                   require X-Admin-Token on /__admin (health excepted);
                                                    with credentials and no token, /__admin acts only on
                                                    the caller's own partition
`;

function parseFlags(argv: string[], env: Config): Config {
  const { values } = parseArgs({
    args: argv,
    allowNegative: true,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      fixtures: { type: 'boolean' },
      strict: { type: 'boolean' },
      seed: { type: 'string' },
      data: { type: 'string' },
      'journal-size': { type: 'string' },
      'max-partitions': { type: 'string' },
      'allowed-hosts': { type: 'string' },
      upstream: { type: 'string' },
      record: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  if (values.version) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    process.exit(0);
  }
  return {
    ...env,
    ...(values.port !== undefined && { port: parsePort(values.port, '--port') }),
    ...(values.host !== undefined && { host: values.host }),
    ...(values['log-level'] !== undefined && { logLevel: parseLogLevel(values['log-level'], '--log-level') }),
    ...(values['log-format'] !== undefined && { logFormat: parseLogFormat(values['log-format'], '--log-format') }),
    ...(values.fixtures !== undefined && { fixtures: values.fixtures }),
    ...(values.strict !== undefined && { strict: values.strict }),
    ...(values.seed !== undefined && { seed: parseSeed(values.seed, '--seed') }),
    ...(values.data !== undefined && { dataFile: values.data }),
    ...(values['journal-size'] !== undefined && { journalSize: parseCount(values['journal-size'], '--journal-size') }),
    ...(values['max-partitions'] !== undefined && { maxPartitions: parseCount(values['max-partitions'], '--max-partitions', 1) }),
    ...(values['allowed-hosts'] !== undefined && { allowedHosts: parseHosts(values['allowed-hosts']) }),
    ...(values.upstream !== undefined && { upstream: parseUpstream(values.upstream, '--upstream') }),
    ...(values.record !== undefined && { record: values.record }),
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'verify') {
    // Imported only for this command: the server does not load what it does not run.
    const { verifyCommand } = await import('./tools/verify/command.js');
    process.exit(await verifyCommand(process.argv.slice(3), process.env));
  }
  let config: Config;
  try {
    config = checkCombination(parseFlags(process.argv.slice(2), configFromEnv(process.env)));
  } catch (err) {
    // Bad flags and bad env values alike: say which and exit 2, as CLI conventions expect.
    const message =
      err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (err as Error).message : String(err);
    process.stderr.write(`sequence-mock: ${message}\nTry 'sequence-mock --help'.\n`);
    process.exit(2);
  }
  // Signals are taken from the start: a SIGTERM while the server starts stops it once started (the
  // data file closed and its lock released), instead of ending the process with the lock left.
  let server: Awaited<ReturnType<typeof start>> | undefined;
  let signalled: string | undefined;
  let closing = false;
  const stop = (signal: string) => {
    signalled ??= signal;
    if (!server || closing) return; // still starting: stopped as soon as it has started
    closing = true;
    const timer = setTimeout(() => process.exit(1), 5000);
    timer.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`sequence-mock: error while stopping on ${signal}: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  // Past a file-size limit (ulimit -f) the kernel sends SIGXFSZ, whose default ends the process;
  // ignored, the write fails with EFBIG instead, and the data file refuses changes with a 503.
  process.on('SIGXFSZ', () => undefined);
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    server = await start(config);
  } catch (err) {
    if (err instanceof DataFileError) {
      process.stderr.write(`sequence-mock: cannot use data file ${config.dataFile}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const serving = config.upstream ? `proxying Sequence's API to ${config.upstream}` : `Sequence base URL: ${server.url}/api`;
  process.stdout.write(`sequence-mock listening on ${server.url} (${serving}; dashboard: ${server.url}/__admin/ui)\n`);
  if (signalled !== undefined) stop(signalled);
}

main().catch((err: unknown) => {
  process.stderr.write(`sequence-mock: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
