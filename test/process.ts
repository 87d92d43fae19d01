// The built CLI as a user runs it: a real process on a free port, driven over HTTP.
// Needs `npm run build` first (npm test does it). Every process started here is killed after the file.
import { afterAll } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

const running: ChildProcessWithoutNullStreams[] = [];
afterAll(() => running.forEach((child) => child.kill('SIGKILL')));

export async function startCli(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { env: { ...process.env, ...env } });
  running.push(child);
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line in: ${out}`)), 10_000);
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+) /.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, url, output: () => out };
}

/** Runs the CLI to its end (a refusal, --help); resolves to its exit code and output. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  running.push(child);
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out };
}

/** Resolves to the exit code, or to the signal that ended the process. */
export async function exited(child: ChildProcessWithoutNullStreams): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return code ?? signal;
}
