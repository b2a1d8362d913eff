// bench/search: the support search run by concurrent users, through loglake's HTTP query API or
// through DuckDB over the same files, and the report that compares the two. See README.md here.
//
//   node load.mjs api URL START DAYS USERS POLL_MS DEDUP [COUNT] > api.json
//   node load.mjs duckdb LAKE START DAYS USERS THREADS [COUNT] > duckdb.json
//   node load.mjs report api.json duckdb.json [api-no-dedup.json]
//
// Both drivers run the same searches in the same order: for every day from START (YYYY-MM-DD)
// over DAYS days and every tenant of TENANTS, the search page's own records query
// (ui/js/search_sql.mjs buildSearchQuery: every column, tenant_id = ?, the UTC day as
// time >= ? AND time < ?, ORDER BY time DESC LIMIT 1000), shuffled with a fixed seed; the first
// COUNT of them when COUNT is given (default: all, 8 per day). USERS
// workers take the next search from the shared list as soon as their previous one is done.
//
// api: a search is POST /v1/queries (with "dedup": DEDUP, true or false; the page sends true), GET /v1/queries/{id} every POLL_MS until it is final, then
// GET .../results (one page: at most 1,000 rows), parsed; its latency runs from the POST to the
// parsed rows. The query's submitted_at/started_at/finished_at split it into queue wait, engine
// time and the rest (polling granularity, HTTP, JSON rendering and parsing).
// duckdb: one DuckDB instance with THREADS threads, one connection per user, the same SQL as a
// prepared statement with the same parameters over a view of LAKE/access_log/*/*/*/*.parquet; its
// latency runs from the call to the materialized result.
// Each driver first runs USERS searches of the last day untimed (warm-up; the files are in the
// page cache for both).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { buildSearchQuery, emptyFilters } from '../../ui/js/search_sql.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];
const DAY_MS = 86_400_000;

/** Every (tenant, day) search, shuffled by a fixed seed, the first `count`: [{ tenant, day, sql, params }]. */
function searches(start, days, count = Infinity) {
  const first = Date.parse(`${start}T00:00:00Z`);
  const list = [];
  for (let d = 0; d < days; d++) {
    for (const tenant of TENANTS) {
      const from = first + d * DAY_MS;
      const q = buildSearchQuery({ ...emptyFilters(), tenant_id: tenant, from, to: from + DAY_MS });
      list.push({ tenant, day: new Date(from).toISOString().slice(0, 10), ...q });
    }
  }
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list.slice(0, count);
}

/** Runs `work(search, user)` for every search with `users` concurrent workers; → { wall, results }. */
async function runConcurrently(list, users, work) {
  const results = new Array(list.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: users }, async (_, user) => {
    for (;;) {
      const i = next++;
      if (i >= list.length) return;
      const t0 = performance.now();
      const r = await work(list[i], user);
      results[i] = { ...r, tenant: list[i].tenant, day: list[i].day, ms: performance.now() - t0 };
    }
  }));
  return { wall: (performance.now() - started) / 1000, results };
}

// ---- loglake through the HTTP API ----------------------------------------------------------------

async function apiDriver(url, start, days, users, pollMs, dedup, count) {
  // node:http with keep-alive, not fetch: Node 20's fetch (undici) spends ~15 ms receiving a 300 kB
  // page of results that node:http receives in ~2 ms (~150 ms vs ~20 ms for 8 at once), which
  // would be measured as the server's time.
  const agent = new http.Agent({ keepAlive: true, maxSockets: users });
  const request = (method, p, body) => new Promise((resolve, reject) => {
    const req = http.request(`${url}${p}`, { method, agent, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${res.statusCode} ${text.slice(0, 500)}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
  const post = (p, body) => request('POST', p, body);
  const get = (p) => request('GET', p);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const one = async (s) => {
    const t0 = performance.now();
    const { id } = await post('/v1/queries', { sql: s.sql, params: s.params, dedup });
    const t1 = performance.now();
    let status;
    let polls = 0;
    for (;;) {
      status = await get(`/v1/queries/${id}`);
      ++polls;
      if (status.state === 'SUCCEEDED') break;
      if (status.state === 'FAILED' || status.state === 'CANCELLED') throw new Error(`${s.tenant} ${s.day}: ${JSON.stringify(status.error)}`);
      await sleep(pollMs);
    }
    const t2 = performance.now();
    const page = await get(`/v1/queries/${id}/results?max_results=1000`);
    const t3 = performance.now();
    const ms = (t) => Date.parse(t.endsWith('Z') || t.includes('+') ? t : `${t.replace(' ', 'T')}Z`);
    const timeIndex = page.columns.findIndex((c) => c.name === 'time');
    return {
      rows: page.rows.length,
      newest: page.rows.length ? page.rows[0][timeIndex].slice(0, 23) : null,
      queue_ms: ms(status.started_at) - ms(status.submitted_at),
      engine_ms: ms(status.finished_at) - ms(status.started_at),
      bytes: status.stats.bytes_scanned,
      submit_ms: t1 - t0,
      fetch_ms: t3 - t2,
      polls,
    };
  };
  const list = searches(start, days, count);
  await runConcurrently(list.filter((s) => s.day === list[0].day).slice(0, users), users, one);
  return runConcurrently(list, users, one);
}

// ---- DuckDB over the same files --------------------------------------------------------------

async function duckdbDriver(lake, start, days, users, threads, count) {
  const requireFromTests = createRequire(path.join(here, '..', '..', 'tests', 'interop', 'package.json'));
  const { DuckDBInstance, TIMESTAMPTZ, VARCHAR, timestampTZValue } = await import(pathToFileURL(requireFromTests.resolve('@duckdb/node-api')).href);
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const setup = await instance.connect();
  await setup.run(`SET TimeZone = 'UTC'`);
  const glob = path.join(lake, 'access_log', '*', '*', '*', '*.parquet').replaceAll("'", "''");
  await setup.run(`CREATE VIEW access_log AS SELECT * FROM read_parquet('${glob}')`);
  const connections = [];
  for (let u = 0; u < users; u++) {
    const c = await instance.connect();
    await c.run(`SET TimeZone = 'UTC'`);
    connections.push(c);
  }
  const one = async (s, user) => {
    // The page's params: the tenant as varchar, the range as timestamps (ISO UTC text).
    const values = s.params.map((p) => (typeof p === 'object' ? timestampTZValue(BigInt(Date.parse(p.value)) * 1000n) : p));
    const types = s.params.map((p) => (typeof p === 'object' ? TIMESTAMPTZ : VARCHAR));
    const reader = await connections[user].runAndReadAll(s.sql, values, types);
    const rows = reader.getRows();
    const timeIndex = reader.columnNames().indexOf('time');
    return { rows: rows.length, newest: rows.length ? String(rows[0][timeIndex]).slice(0, 23) : null };
  };
  const list = searches(start, days, count);
  await runConcurrently(list.filter((s) => s.day === list[0].day).slice(0, users), users, one);
  return runConcurrently(list, users, one);
}

// ---- report ------------------------------------------------------------------------------------

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function summary(run) {
  const ms = run.results.map((r) => r.ms).sort((a, b) => a - b);
  return { n: ms.length, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), max: ms[ms.length - 1], qps: ms.length / run.wall, wall: run.wall };
}

function report(apiFile, duckFile, noDedupFile) {
  const api = JSON.parse(fs.readFileSync(apiFile, 'utf8'));
  const duck = JSON.parse(fs.readFileSync(duckFile, 'utf8'));
  const a = summary(api);
  const d = summary(duck);
  const noDedup = noDedupFile ? JSON.parse(fs.readFileSync(noDedupFile, 'utf8')) : null;
  const nd = noDedup ? summary(noDedup) : null;
  // Same result, search by search: without dedup, the same row count and newest record time (to
  // the millisecond) as DuckDB; with dedup, the same newest time and at most DuckDB's rows (fewer
  // by the duplicates dropped, where a tenant has under 1,000 records that day).
  const newest = (r) => (r.newest ?? '').replace('T', ' ');
  const differ = api.results.filter((r, i) => r.rows > duck.results[i].rows || newest(r) !== newest(duck.results[i]));
  const differNoDedup = (noDedup?.results ?? []).filter((r, i) => r.rows !== duck.results[i].rows || newest(r) !== newest(duck.results[i]));
  const mean = (key) => api.results.reduce((s, r) => s + r[key], 0) / api.results.length;
  const sortedOf = (key) => api.results.map((r) => r[key]).sort((x, y) => x - y);
  const f = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const met = a.p95 <= d.p95 / 2 ? 'met' : 'not met';
  console.log('| run | searches | p50 | p95 | max | searches/s | p95 vs DuckDB (target <= 0.5x) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(`| loglake, HTTP query API (dedup on, as the page asks) | ${a.n} | ${f(a.p50)} ms | ${f(a.p95)} ms | ${f(a.max)} ms | ${a.qps.toFixed(1)} | ${(a.p95 / d.p95).toFixed(2)}x, ${met} |`);
  if (nd) {
    console.log(`| loglake, HTTP query API, dedup off | ${nd.n} | ${f(nd.p50)} ms | ${f(nd.p95)} ms | ${f(nd.max)} ms | ${nd.qps.toFixed(1)} | ${(nd.p95 / d.p95).toFixed(2)}x |`);
  }
  console.log(`| DuckDB, same SQL, same files (no dedup) | ${d.n} | ${f(d.p50)} ms | ${f(d.p95)} ms | ${f(d.max)} ms | ${d.qps.toFixed(1)} | |`);
  console.log('');
  console.log(`loglake's latency split with dedup on (from each query's submitted_at/started_at/finished_at): queue wait p50 ` +
    `${f(quantile(sortedOf('queue_ms'), 0.5))} ms / p95 ${f(quantile(sortedOf('queue_ms'), 0.95))} ms; engine p50 ` +
    `${f(quantile(sortedOf('engine_ms'), 0.5))} ms / p95 ${f(quantile(sortedOf('engine_ms'), 0.95))} ms; ` +
    `the rest (polling, HTTP, JSON) mean ${f(api.results.reduce((s, r) => s + r.ms - r.queue_ms - r.engine_ms, 0) / a.n)} ms, ` +
    `of which the POST ${f(mean('submit_ms'))} ms and the results GET with JSON.parse ${f(mean('fetch_ms'))} ms ` +
    `(${f(mean('polls'))} polls a search); ` +
    `bytes read per search mean ${(mean('bytes') / 1e6).toFixed(1)} MB.`);
  const verdict = (list) => (list.length === 0 ? 'yes' : `no, ${list.length} differ, e.g. ${JSON.stringify(list[0])}`);
  console.log(`Same result as DuckDB, every search (dedup off: row count and newest time; dedup on: newest time, ` +
    `rows at most DuckDB's): dedup on ${verdict(differ)}${noDedup ? `; dedup off ${verdict(differNoDedup)}` : ''}.`);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'api') {
  const [url, start, days, users, pollMs, dedup, count] = args;
  if (dedup !== 'true' && dedup !== 'false') throw new Error('DEDUP is true or false');
  console.log(JSON.stringify(await apiDriver(url, start, Number(days), Number(users), Number(pollMs), dedup === 'true', Number(count ?? Infinity))));
} else if (mode === 'duckdb') {
  const [lake, start, days, users, threads, count] = args;
  console.log(JSON.stringify(await duckdbDriver(lake, start, Number(days), Number(users), Number(threads), Number(count ?? Infinity))));
  process.exit(0);
} else if (mode === 'report') {
  report(args[0], args[1], args[2]);
} else {
  console.error('usage: node load.mjs api URL START DAYS USERS POLL_MS DEDUP [COUNT] | duckdb LAKE START DAYS USERS THREADS [COUNT] | report API.json DUCKDB.json [API-NO-DEDUP.json]');
  process.exit(2);
}
