// Drives the real loglake binary for the interop tests: fresh scratch directories, `gen`,
// `convert`, and listings of what a lake holds.
//
// LOGLAKE_BIN (the binary under test) and LOGLAKE_TEST_TMP (a scratch directory) are set by
// ctest; see tests/CMakeLists.txt.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

export const BIN = process.env.LOGLAKE_BIN;
if (!BIN) throw new Error('LOGLAKE_BIN is not set: run these tests through ctest (see tests/CMakeLists.txt)');

const TMP_ROOT = process.env.LOGLAKE_TEST_TMP || os.tmpdir();

/** A new, empty directory for one test, under $LOGLAKE_TEST_TMP. */
export function freshDir(name) {
  fs.mkdirSync(TMP_ROOT, { recursive: true });
  return fs.mkdtempSync(path.join(TMP_ROOT, `interop-${name}-`));
}

/**
 * Runs `loglake ...args`, feeding `input` (string or Buffer) on stdin. Throws, with the
 * command's stderr, unless it exits with `expectStatus` (0 by default).
 */
export function runLoglake(args, { input, expectStatus = 0, cwd } = {}) {
  const r = spawnSync(BIN, args, {
    input,
    cwd,
    maxBuffer: 1 << 30,
    env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=1' },
  });
  if (r.error) throw r.error;
  if (r.status !== expectStatus) {
    throw new Error(
      `loglake ${args.join(' ')} exited with ${r.status ?? r.signal}, expected ${expectStatus}\n` +
        `stderr:\n${r.stderr.toString()}\nstdout:\n${r.stdout.toString().slice(0, 4000)}`,
    );
  }
  return { stdout: r.stdout, stderr: r.stderr.toString(), status: r.status };
}

/** `loglake gen` with the given options; returns the NDJSON as a Buffer. */
export function gen({ records, start, days = 1, seed = 1, dupRate = 0, badRate = 0 }) {
  const args = ['gen', '--quiet', '--records', String(records), '--start', start, '--days', String(days),
    '--seed', String(seed), '--dup-rate', String(dupRate), '--bad-rate', String(badRate)];
  return runLoglake(args).stdout;
}

/**
 * `loglake convert --lake <lake> --table <table>` of `input` (string/Buffer, sent on stdin) or of
 * `files`. Returns { stdout, stderr, summary } where summary holds the numbers of the summary
 * line: read, written, files, rejected.
 */
export function convert({ lake, table = 'access_log', schema, codec, input, files = [], extraArgs = [], expectStatus = 0 }) {
  const args = ['convert', '--lake', lake, '--table', table];
  if (schema) args.push('--schema', schema);
  if (codec) args.push('--codec', codec);
  args.push(...extraArgs);
  if (input !== undefined) args.push('-');
  args.push(...files);
  const r = runLoglake(args, { input, expectStatus });
  return { ...r, summary: parseConvertSummary(r.stdout.toString()) };
}

/** Numbers from convert's summary line: "read N records: W written to F files (...), R rejected". */
export function parseConvertSummary(text) {
  const num = (re) => {
    const m = text.match(re);
    return m ? Number(m[1]) : undefined;
  };
  return {
    read: num(/read (\d+) records?/),
    written: num(/(\d+) written/),
    files: num(/written to (\d+) files?/),
    rejected: num(/(\d+) rejected/) ?? 0,
  };
}

/** Every file under `dir` (recursively) whose name ends with `suffix`, sorted. */
export function listFiles(dir, suffix) {
  const out = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(suffix)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** The Parquet data files of a table (the _errors folder holds none). */
export function parquetFiles(lake, table) {
  return listFiles(path.join(lake, table), '.parquet');
}

/** Every line of every error file of a table, parsed. */
export function errorRecords(lake, table) {
  const out = [];
  for (const f of listFiles(path.join(lake, table, '_errors'), '.ndjson')) {
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      if (line) out.push({ file: f, ...JSON.parse(line) });
    }
  }
  return out;
}

/** Splits NDJSON bytes into lines (Buffers, without the newline). */
export function splitLines(buf) {
  const lines = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) {
      if (start < buf.length) lines.push(buf.subarray(start));
      return lines;
    }
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
}
