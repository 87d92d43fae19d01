// `sequence-mock verify --upstream <url> [--json] [--allow-production]`: exit 0 when Sequence and the
// fake agree on every step, 1 when they differ (or the run fails), 2 for bad usage.
import { parseArgs } from 'node:util';
import { formatReport, verify, VerifyError } from './run.js';

export const VERIFY_HELP = `Usage: sequence-mock verify --upstream <url> [--api-version <version>] [--json] [--allow-production]

Plays one scenario of the Customers API against Sequence (the upstream) and against a fake started
in this process, and prints where they differ: status codes, the Sequence-Version header, body
shapes (fields, types, enum values, error envelope) and what ids refer to. Exits 1 on a difference.
Everything it creates upstream is archived at the end.

Options:
  --upstream <url>      Sequence's base URL, e.g. https://sandbox.sequencehq.com/api (required)
  --json                print the report as JSON (for CI)
  --allow-production    run against a production URL too (refused by default)
  --timeout <ms>        per upstream request (default 30000)
  --api-version <v>     the Sequence-Version your client sends (e.g. 2024-05-09): every request of
                        the scenario without a body is made in it (writes stay in the current one)
  -h, --help            show this help

Environment:
  SEQUENCE_CLIENT_ID, SEQUENCE_CLIENT_SECRET   the upstream's API credentials (required)
`;

export async function verifyCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        upstream: { type: 'string' },
        json: { type: 'boolean' },
        'allow-production': { type: 'boolean' },
        timeout: { type: 'string' },
        'api-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(VERIFY_HELP);
    return 0;
  }
  if (!values.upstream) return usage('--upstream <url> is required');
  const clientId = env.SEQUENCE_CLIENT_ID;
  const clientSecret = env.SEQUENCE_CLIENT_SECRET;
  if (!clientId || !clientSecret) return usage('SEQUENCE_CLIENT_ID and SEQUENCE_CLIENT_SECRET must be set to the upstream credentials');
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))
    return usage(`--timeout must be milliseconds, got "${values.timeout}"`);
  try {
    const report = await verify({
      upstream: values.upstream,
      clientId,
      clientSecret,
      allowProduction: values['allow-production'] === true,
      ...(timeoutMs !== undefined && { timeoutMs }),
      ...(values['api-version'] !== undefined && { apiVersion: values['api-version'] }),
    });
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.differences.length === 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof VerifyError) return usage(err.message);
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    process.stderr.write(`sequence-mock verify: ${(err as Error).message}${cause ? ` (${cause})` : ''}\n`);
    return 1;
  }
}

function usage(message: string): number {
  process.stderr.write(`sequence-mock verify: ${message}\nTry 'sequence-mock verify --help'.\n`);
  return 2;
}
