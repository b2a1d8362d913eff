// Drives the real `loglake agent` for the agent scenario tests: start and stop it, write log
// files the way applications and logrotate do (appends, rename rotation, copytruncate), slow the
// server down with a delaying proxy, and judge the lake with DuckDB.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { BIN } from './loglake.mjs';
import { openDuckDB, sqlString } from './duckdb.mjs';
import { startServer as startServerProcess } from './server.mjs';

// Every process a test starts is killed when the test process ends, even after a failed assertion,
// so that a failing scenario does not leave servers and agents behind.
const children = new Set();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** lib/server.mjs startServer, killed at the end of the test process if still running. */
export async function startServer(options) {
  const server = await startServerProcess(options);
  track(server.child);
  return server;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `loglake agent --server <server> --table <table> --checkpoint-dir <checkpointDir>
 * --metrics-listen 127.0.0.1:0 [--config <config>] ...paths`, resolves once its metrics endpoint
 * is up. Returns { child, exited, stderr(), metricsUrl }.
 */
export async function startAgent({ server, table = 'access_log', checkpointDir, paths = [], config, extraArgs = [], stdin = 'ignore', env = {} }) {
  const args = ['agent', '--server', server, '--checkpoint-dir', checkpointDir, '--metrics-listen', '127.0.0.1:0'];
  if (table) args.push('--table', table);
  if (config) args.push('--config', config);
  args.push(...extraArgs, ...paths);
  const child = spawn(BIN, args, {
    env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=1', ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
  track(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const metricsUrl = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = out.match(/metrics on (http:\/\/\S+\/metrics)/);
      if (m) resolve(m[1]);
    });
    exited.then(({ code, signal }) => reject(new Error(`loglake agent exited (${code ?? signal}) before starting:\n${stderr}`)));
  });
  return { child, exited, stderr: () => stderr, metricsUrl };
}

/** Sends `signal` and waits for the agent to end; returns { code, signal }. */
export async function stopAgent(agent, signal = 'SIGTERM') {
  agent.child.kill(signal);
  return agent.exited;
}

/** The agent's /metrics as { name or name{labels}: number }. */
export async function agentMetrics(agent) {
  const text = await (await fetch(agent.metricsUrl)).text();
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return out;
}

/** True once the agent tails at least one file and every file is acknowledged to its end. */
export async function caughtUp(agent) {
  const m = await agentMetrics(agent);
  const lags = Object.entries(m).filter(([k]) => k.startsWith('loglake_agent_lag_bytes'));
  return lags.length > 0 && lags.every(([, v]) => v === 0) && m.loglake_agent_batches_queued === 0;
}

/** Waits until `predicate()` (may be async) is true, polling every 50 ms; throws after timeoutMs. */
export async function waitFor(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * An application writing its log: appends lines through an O_APPEND descriptor, and rotates the
 * way logrotate does — 'rename' (rename to <file>.<n>, reopen a new file) or 'copytruncate'
 * (copy to <file>.<n>, truncate in place; the writer keeps its descriptor).
 */
export class LogWriter {
  constructor(file) {
    this.file = file;
    this.fd = fs.openSync(file, 'a');
    this.rotations = 0;
  }
  write(text) {
    fs.writeSync(this.fd, text);
  }
  rotate(mode) {
    this.rotations++;
    const rotated = `${this.file}.${this.rotations}`;
    if (mode === 'rename') {
      fs.renameSync(this.file, rotated);
      fs.closeSync(this.fd);
      this.fd = fs.openSync(this.file, 'a');
    } else if (mode === 'copytruncate') {
      fs.copyFileSync(this.file, rotated);
      fs.truncateSync(this.file, 0);
    } else {
      throw new Error(`unknown rotation ${mode}`);
    }
  }
  close() {
    fs.closeSync(this.fd);
  }
}

/**
 * Writes `lines` (strings without newline) in slices of `slice` lines, yielding to the event loop
 * between slices (pauseMs, 0 = as fast as possible), rotating every `rotateEvery` lines. `onSlice`
 * (optional, async) runs after each slice, e.g. to kill something.
 */
export async function writeLines(writer, lines, { slice = 200, pauseMs = 0, rotateEvery = 0, rotation = 'rename', onSlice } = {}) {
  let sinceRotation = 0;
  for (let i = 0; i < lines.length; i += slice) {
    const part = lines.slice(i, i + slice);
    writer.write(part.join('\n') + '\n');
    sinceRotation += part.length;
    if (rotateEvery > 0 && sinceRotation >= rotateEvery) {
      writer.rotate(rotation);
      sinceRotation = 0;
    }
    if (onSlice) await onSlice(i + part.length);
    await sleep(pauseMs);
  }
}

/** Counts of the table's rows in the lake: { rows, distinct, uuids: Set }. */
export async function lakeUuids(lake, table = 'access_log') {
  const glob = path.join(lake, table, '*', '*', '*', '*.parquet');
  if (!fs.existsSync(path.join(lake, table))) return { rows: 0, distinct: 0, uuids: new Set() };
  const db = await openDuckDB();
  try {
    const [counts] = await db.all(
      `SELECT count(*)::BIGINT AS n, count(DISTINCT uuid)::BIGINT AS distinct_n FROM read_parquet(${sqlString(glob)})`);
    const rows = await db.all(`SELECT DISTINCT uuid FROM read_parquet(${sqlString(glob)})`);
    return { rows: Number(counts.n), distinct: Number(counts.distinct_n), uuids: new Set(rows.map((r) => r.uuid)) };
  } finally {
    db.close();
  }
}

/** Asserts helper: the uuids of `lines` missing from `state`. */
export function missingUuids(lines, state) {
  const missing = [];
  for (const l of lines) {
    const uuid = JSON.parse(l).uuid;
    if (!state.uuids.has(uuid)) missing.push(uuid);
  }
  return missing;
}

/**
 * A proxy in front of the server that holds every request `delayMs` before passing it on (a slow
 * or overloaded server). With `tls` ({ key, cert }, PEM) it listens for https://. Returns { url,
 * close(), setDelay(ms), requests() }.
 */
export async function startSlowProxy(target, delayMs, { tls } = {}) {
  let delay = delayMs;
  let requests = 0;
  const handler = (req, res) => {
    requests++;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      await sleep(delay);
      try {
        const upstream = await fetch(`${target}${req.url}`, {
          method: req.method,
          // identity: the answer is passed on byte for byte, never re-encoded.
          headers: { ...Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection', 'accept-encoding'].includes(k))), 'accept-encoding': 'identity' },
          body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        const headers = {};
        for (const [k, v] of upstream.headers) if (!['content-length', 'connection', 'transfer-encoding', 'keep-alive'].includes(k)) headers[k] = v;
        res.writeHead(upstream.status, headers);
        res.end(body);
      } catch {
        res.writeHead(502);
        res.end('{"error":{"code":"bad_gateway","message":"upstream unreachable"}}');
      }
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`,
    setDelay: (ms) => { delay = ms; },
    requests: () => requests,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}
