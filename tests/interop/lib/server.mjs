// Runs the real `loglake serve` for the server tests: start on a free loopback port (or a given
// one, to restart in place), wait until it listens, post batches, stop with a signal.
import { spawn } from 'node:child_process';
import { BIN } from './loglake.mjs';

/**
 * Starts `loglake serve --lake <lake> --listen 127.0.0.1:<port>` (port 0: any free one) plus
 * `extraArgs`, with `env` added to the environment; resolves once it prints its address. Returns { child, port, url, exited, stderr() }.
 */
export async function startServer({ lake, port = 0, extraArgs = [], env = {} }) {
  const child = spawn(BIN, ['serve', '--lake', lake, '--listen', `127.0.0.1:${port}`, ...extraArgs], {
    env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const bound = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    exited.then(({ code, signal }) => reject(new Error(`loglake serve exited (${code ?? signal}) before listening:\n${stderr}`)));
  });
  return { child, port: bound, url: `http://127.0.0.1:${bound}`, exited, stderr: () => stderr };
}

/** Sends `signal` and waits for the process to end; returns { code, signal }. */
export async function stopServer(server, signal = 'SIGTERM') {
  server.child.kill(signal);
  return server.exited;
}

/** POST /v1/tables/<table>/records; resolves to { status, json } or throws on a connection error. */
export async function postRecords(url, table, body, headers = {}) {
  const res = await fetch(`${url}/v1/tables/${table}/records`, { method: 'POST', body, headers });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { raw: text }; }
  return { status: res.status, json, headers: res.headers };
}
