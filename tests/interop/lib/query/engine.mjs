// Runs `loglake query` (the real binary, LOGLAKE_BIN) and reads its --format json output into
// typed results (see values.mjs).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { BIN, freshDir } from '../loglake.mjs';
import { JsonNumber, parseExactJson } from './exact_json.mjs';

const ENV = { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=1' };

/** argv for `loglake query`. */
export function queryArgs(lake, sql, { params = [], format = 'json', noDedup = false, now, threads, extra = [] } = {}) {
  const args = ['query', '--lake', lake, '--format', format, '--quiet'];
  if (now) args.push('--now', now);
  if (threads !== undefined) args.push('--threads', String(threads));
  if (noDedup) args.push('--no-dedup');
  // `--param VALUE`, except `--param=VALUE` for values starting with '-' (never taken for a
  // flag); the empty string only works as a separate argument.
  for (const p of params) {
    if (p.startsWith('-')) args.push(`--param=${p}`);
    else args.push('--param', p);
  }
  args.push(...extra, sql);
  return args;
}

/** Runs `loglake ...args` to completion; { status, stdout, stderr } (strings). */
export function runSync(args, { input } = {}) {
  const r = spawnSync(BIN, args, { input, env: ENV, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** The same, asynchronously (so that several queries run at once). */
export function runAsync(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: ENV });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({
      status, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(),
    }));
  });
}

/** Runs `tasks` (functions returning promises) with at most `limit` running at once. */
export async function runPool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** True when the engine is the placeholder (answers "Not supported"/Unimplemented to a plain count). */
let missingReason;
export function engineMissing() {
  if (missingReason !== undefined) return missingReason;
  const lake = freshDir('query-probe');
  fs.mkdirSync(path.join(lake, 'access_log'), { recursive: true });
  const r = runSync(queryArgs(lake, 'SELECT count(*) FROM access_log'));
  missingReason = r.status !== 0 && /Not supported|Unimplemented|not built/i.test(r.stderr) ? r.stderr.trim() : null;
  return missingReason;
}

function typedCell(v, type) {
  if (v === null) return null;
  switch (type) {
    case 'integer':
    case 'bigint':
      if (!(v instanceof JsonNumber)) throw new Error(`${type} cell is not a JSON number: ${JSON.stringify(v)}`);
      return v.toBigInt();
    case 'double':
      if (v instanceof JsonNumber) return v.toNumber();
      if (v === 'NaN') return NaN;
      if (v === 'Infinity') return Infinity;
      if (v === '-Infinity') return -Infinity;
      throw new Error(`double cell is neither a number nor NaN/Infinity: ${JSON.stringify(v)}`);
    case 'boolean':
      if (typeof v !== 'boolean') throw new Error(`boolean cell: ${JSON.stringify(v)}`);
      return v;
    default:
      if (typeof v !== 'string') throw new Error(`${type} cell is not a string: ${JSON.stringify(v)}`);
      return v;
  }
}

/** Parses `loglake query --format json` output: { columns, rows (typed), stats, explain }. */
export function parseJsonResult(text) {
  const obj = parseExactJson(text);
  const columns = obj.columns.map((c) => ({ name: c.name, type: c.type }));
  const rows = obj.rows.map((row) => {
    if (row.length !== columns.length) throw new Error(`row of ${row.length} cells for ${columns.length} columns`);
    return row.map((v, i) => typedCell(v, columns[i].type));
  });
  const stats = JSON.parse(JSON.stringify(obj.stats, (k, v) => (v instanceof JsonNumber ? v.toNumber() : v)));
  return { columns, rows, stats, explain: obj.explain };
}
