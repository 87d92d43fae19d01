// The files behind the durable store: the lowdb snapshot adapter, the append-only journal with
// group commit, and the lock that keeps a second server off the same data file.
import { closeSync, constants, openSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { DataFileWriteError } from './data-file-error.js';
import { DataFileError } from './data-file-error.js';
import { depthOver, MAX_JSON_DEPTH, tooDeep } from '../json-limits.js';
import { lineProblem, type ChangeLine } from './snapshot.js';
import type { LegacyLine } from './upgrade.js';

/** fsync a directory, so a rename or a new file in it survives a crash too. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * lowdb's JSONFile writes temp-then-rename but never fsyncs (measured): after a crash the renamed
 * file can be empty. This adapter keeps lowdb's model and adds the fsyncs: the temp file before the
 * rename, the directory after it. Laid out so the file stays readable and diffable: one record per
 * line (formatSnapshot).
 */
export class DurableJSONFile<T> implements Adapter<T> {
  constructor(private readonly filename: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.filename, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    // Checked before parsing: a file nested deeper than anything the fake writes could not be cloned
    // into partitions (a stack overflow at every start).
    const depth = depthOver(text, STORED_DEPTH);
    if (depth !== undefined) throw new DataFileError(`it ${tooDeep(depth, STORED_DEPTH)}`);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new DataFileError(text.trim() === '' ? 'it is empty (truncated?)' : `it is not valid JSON (${(err as Error).message})`);
    }
  }

  async write(data: T): Promise<void> {
    const temp = path.join(path.dirname(this.filename), `.${path.basename(this.filename)}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(formatSnapshot(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.filename);
    await syncDir(path.dirname(this.filename));
  }
}

/** Levels of the file around a record: file, partitions, partition, collections, collection. */
const RECORD_LEVEL = 5;
/** The deepest a data file or journal line can be: a record as deep as a body may be, in its envelope. */
export const STORED_DEPTH = MAX_JSON_DEPTH + RECORD_LEVEL + 1;

/**
 * The data file's text: the envelope indented, each record compact on its own line. Indenting
 * records too made the file grow with the square of their depth (a 6 KB body 3,000 levels deep was
 * an 18 MB file).
 */
export function formatSnapshot(data: unknown): string {
  const layout = (value: unknown, level: number, indent: string): string => {
    if (level === RECORD_LEVEL || value === null || typeof value !== 'object') return JSON.stringify(value);
    const inner = `${indent}  `;
    if (Array.isArray(value))
      return value.length === 0 ? '[]' : `[\n${value.map((v) => inner + layout(v, level + 1, inner)).join(',\n')}\n${indent}]`;
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${layout(v, level + 1, inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${layout(data, 0, '')}\n`;
}

/**
 * Append-only journal of mutations, one JSON line each. Lines are buffered as they come; commit()
 * resolves once every line appended before it is on disk. All commits waiting while a write is in
 * flight share the next write and its one fsync (group commit), so fsync cost is paid per batch,
 * not per request, and never depends on how much is stored.
 */
export class JournalWriter {
  private pending: string[] = [];
  private appended = 0;
  private durable = 0;
  private waiters: { upTo: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  private writing: Promise<void> | undefined;
  private failed: Error | undefined;
  bytes = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly filename: string,
  ) {}

  static async open(filename: string): Promise<JournalWriter> {
    const handle = await open(filename, 'a');
    await syncDir(path.dirname(filename));
    return new JournalWriter(handle, filename);
  }

  append(entry: ChangeLine): void {
    const line = `${JSON.stringify(entry)}\n`;
    this.pending.push(line);
    this.bytes += line.length;
    this.appended += 1;
  }

  /** Why the journal stopped taking writes, once a write has failed. */
  get failure(): Error | undefined {
    return this.failed;
  }

  commit(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.durable >= this.appended) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ upTo: this.appended, resolve, reject }));
    this.writing ??= this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const lines = this.pending;
        const upTo = this.appended;
        this.pending = [];
        // writeFile, not write: write() can stop short (disk full, file-size limit) and report it
        // only in bytesWritten; writeFile keeps writing until all is written or it fails. A short
        // write taken for a whole one acknowledged changes that were never written (measured).
        await this.handle.writeFile(lines.join(''));
        await this.handle.datasync();
        this.durable = upTo;
        this.waiters = this.waiters.filter((w) => (w.upTo <= upTo ? (w.resolve(), false) : true));
      }
    } catch (err) {
      // A journal that cannot be written must not acknowledge anything again.
      this.failed = new DataFileWriteError(`cannot write ${this.filename}: ${(err as Error).message}`);
      for (const w of this.waiters.splice(0)) w.reject(this.failed);
    } finally {
      this.writing = undefined;
    }
  }

  async close(): Promise<void> {
    await this.commit();
    await this.handle.close();
  }
}

/** Every entry of a journal file. A torn last line (a crash mid-append) is dropped; any other bad line is an error. */
export async function readJournal(filename: string): Promise<(ChangeLine | LegacyLine)[]> {
  let text: string;
  try {
    text = await readFile(filename, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  const entries: (ChangeLine | LegacyLine)[] = [];
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    const depth = depthOver(line, STORED_DEPTH + RECORD_LEVEL);
    if (depth !== undefined) throw new DataFileError(`journal ${filename} line ${i + 1} ${tooDeep(depth, STORED_DEPTH + RECORD_LEVEL)}`);
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      const last = i === lines.length - 1; // no newline after it: the append never finished
      if (last) break;
      throw new DataFileError(`journal ${filename} line ${i + 1} is not valid JSON`);
    }
    // Checked before anything replays it: a bad line compacted into the snapshot would make the
    // data file refused at every later start.
    const problem = lineProblem(entry);
    if (problem) throw new DataFileError(`journal ${filename} line ${i + 1} ${problem}`);
    entries.push(entry as ChangeLine | LegacyLine);
  }
  return entries;
}

export async function removeFile(filename: string): Promise<void> {
  await unlink(filename).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/** Lock files this process holds: a second store on the same file in one process is refused too. */
const held = new Set<string>();

/**
 * One server per data file: two writers on one lowdb file corrupt it (measured). The lock file
 * holds the owner's pid; a lock whose process is gone (kill -9) is taken over, so a restart after a
 * crash needs no clean-up. (proper-lockfile's mtime staleness would make that restart wait.)
 */
export function acquireLock(lockFile: string, dataFile: string): () => void {
  if (held.has(lockFile)) throw new DataFileError(`this process is already using ${dataFile} (lock: ${lockFile})`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(lockFile);
      return () => {
        held.delete(lockFile);
        if (readPid(lockFile) === process.pid) unlinkSync(lockFile);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readPid(lockFile);
      // Our own pid in a lock we do not hold is stale: in a container every run is pid 1.
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        throw new DataFileError(`another sequence-mock (pid ${owner}) is using ${dataFile}; stop it first (lock: ${lockFile})`);
      }
      try {
        unlinkSync(lockFile); // stale: its owner is gone
      } catch {
        // another starter removed it first; try again
      }
    }
  }
  throw new DataFileError(`could not take the lock ${lockFile} for ${dataFile}`);
}

function readPid(file: string): number | undefined {
  try {
    const fd = openSync(file, 'r');
    const buffer = Buffer.alloc(32);
    const n = readSync(fd, buffer, 0, 32, 0);
    closeSync(fd);
    const pid = Number(buffer.subarray(0, n).toString().trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A process killed but not yet reaped by its parent still answers kill(pid, 0), though it will never
 * write again: after `kill -9` of a process group the restart came in that window and was refused.
 * Linux says so in /proc/<pid>/stat (state Z or X, after the parenthesised name); where there is no
 * /proc the process counts as alive, as before.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}
