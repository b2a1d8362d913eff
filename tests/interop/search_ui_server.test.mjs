// The search page as `loglake serve` delivers it: GET / and every file of ui/ with the right
// content type, byte for byte, with ETag revalidation and no URL outside the server; and the
// searches the page builds (ui/js/search_sql.mjs), run through the query API with the page's
// own client (ui/js/api.mjs), return what DuckDB returns for the same SQL and parameters over the
// same Parquet files. A server with tokens serves the page without one and asks for one on the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { QueryApi } from '../../ui/js/api.mjs';
import { ApiError, describeError } from '../../ui/js/errors.mjs';
import { buildHistogramQuery, buildSearchQuery, COLUMNS, emptyFilters } from '../../ui/js/search_sql.mjs';
import { serverTimestampToIso } from '../../ui/js/time_zone.mjs';
import { convert, freshDir, gen } from './lib/loglake.mjs';
import { DuckDBTimestampValue, openLakeInDuckDB } from './lib/query/duck.mjs';
import { formatMicros } from './lib/query/values.mjs';
import { startServer, stopServer } from './lib/server.mjs';

const UI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json',
};
// Namespace names are identifiers, never fetched: SVG elements need this one.
const ALLOWED_URLS = new Set(['http://www.w3.org/2000/svg']);
const H = 3_600_000;
const DAY1 = Date.UTC(2024, 4, 1);
const TOKEN = 'search-ui-test-token-0123456789';

let lake;
let server;
let db;

function uiFiles(dir = UI, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || /^package(-lock)?\.json$/.test(e.name)) continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...uiFiles(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

/** A GET with the path sent exactly as given (fetch would normalize "..", "%2e"). */
function rawGet(port, rawPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  lake = freshDir('search-ui');
  convert({ lake, input: gen({ records: 20_000, start: '2024-05-01', days: 2, seed: 23 }) });
  server = await startServer({ lake });
});

after(async () => {
  db?.close();
  if (server) await stopServer(server);
});

test('GET / is the page, with a policy that allows only this server', async () => {
  const res = await rawGet(server.port, '/');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.deepEqual(res.body, fs.readFileSync(path.join(UI, 'index.html')));
  assert.match(res.headers['content-security-policy'], /default-src 'self'/);
  assert.match(res.headers['content-security-policy'], /connect-src 'self'/);
  assert.equal(res.headers['cache-control'], 'no-cache');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(res.headers.etag, /^"[0-9a-f]{32}"$/);
  const again = await rawGet(server.port, '/', { 'If-None-Match': res.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
});

test('every file of ui/ is served byte for byte with its content type and ETag', async () => {
  const files = uiFiles();
  assert.ok(files.includes('index.html') && files.includes('js/app.mjs') && files.includes('search.css'));
  for (const rel of files) {
    const res = await rawGet(server.port, `/ui/${rel}`);
    assert.equal(res.status, 200, rel);
    assert.equal(res.headers['content-type'], TYPES[path.extname(rel)], rel);
    assert.deepEqual(res.body, fs.readFileSync(path.join(UI, rel)), `${rel}: served bytes differ from the file`);
    assert.match(res.headers.etag, /^"[0-9a-f]{32}"$/, rel);
    const cached = await rawGet(server.port, `/ui/${rel}`, { 'If-None-Match': `"other", ${res.headers.etag}` });
    assert.equal(cached.status, 304, rel);
    const stale = await rawGet(server.port, `/ui/${rel}`, { 'If-None-Match': '"0123"' });
    assert.equal(stale.status, 200, rel);
  }
  for (const bad of ['/ui/nope.mjs', '/ui/', '/ui/../CMakeLists.txt', '/ui/..%2fCMakeLists.txt', '/ui/js/../../README.md',
    '/ui//index.html', '/ui/%2e%2e/src/main.cc', '/index.html']) {
    const res = await rawGet(server.port, bad);
    assert.equal(res.status, 404, bad);
  }
});

test('the page needs nothing from outside: every reference resolves to a served file', async () => {
  const served = new Set(uiFiles());
  const html = fs.readFileSync(path.join(UI, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.length >= 3);
  for (const ref of refs) {
    // Relative, so that the page also works behind a proxy that serves it under a sub-path.
    assert.match(ref, /^ui\//, `index.html refers to ${ref}`);
    assert.ok(served.has(ref.slice(3)), `index.html refers to ${ref}, which ui/ does not hold`);
  }
  for (const rel of served) {
    const text = fs.readFileSync(path.join(UI, rel), 'utf8');
    for (const m of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`)<>]*/gi)) {
      assert.ok(ALLOWED_URLS.has(m[0]), `${rel} holds the URL ${m[0]}`);
    }
    assert.doesNotMatch(text, /["'(=]\s*\/\/[a-z0-9]/i, `${rel} holds a protocol-relative URL`);
    assert.doesNotMatch(text, /@import|\burl\(\s*["']?(?!data:)[a-z]/i, `${rel} loads a stylesheet or file by url()`);
    if (rel.endsWith('.mjs')) {
      for (const m of text.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1]));
        assert.ok(m[1].startsWith('./') && served.has(target), `${rel} imports ${m[1]}, which ui/ does not serve`);
      }
    }
  }
});

// ---- searches through the query API against DuckDB ------------------------------------------

async function apiAvailable() {
  const res = await fetch(`${server.url}/v1/queries`, { method: 'POST', body: '{}' });
  return res.status !== 404;
}

function bindParams(params) {
  return (prepared) => params.forEach((p, i) => {
    if (typeof p === 'string') prepared.bindVarchar(i + 1, p);
    else if (typeof p === 'number') prepared.bindInteger(i + 1, p);
    else if (p?.type === 'timestamp') prepared.bindTimestamp(i + 1, new DuckDBTimestampValue(BigInt(Date.parse(p.value)) * 1000n));
    else throw new Error(`test bug: parameter ${JSON.stringify(p)}`);
  });
}

// A cell as text both engines agree on: timestamps as ISO UTC, numbers as JS prints them.
function canonical(cell, type) {
  if (cell === null || cell === undefined) return null;
  if (type === 'timestamp') return serverTimestampToIso(cell);
  if (typeof cell === 'bigint' || typeof cell === 'number') return String(Number(cell));
  return String(cell);
}

async function duck(sql, params) {
  db ??= await (async () => {
    const d = await openLakeInDuckDB(lake);
    await d.all(`CREATE VIEW access_log AS SELECT ${COLUMNS.join(', ')} FROM raw`);
    return d;
  })();
  const prepared = await db.connection.prepare(sql);
  bindParams(params)(prepared);
  const reader = await prepared.runAndReadAll();
  const types = reader.columnTypes().map((t) => (t.toString() === 'TIMESTAMP' ? 'timestamp' : 'other'));
  return reader.getRows().map((row) => row.map((v, i) => canonical(types[i] === 'timestamp' && v ? formatMicros(v.micros) : v, types[i])));
}

async function ours(api, q) {
  const r = await api.run(q.sql, q.params, { maxRows: 1000 });
  return { rows: r.rows.map((row) => row.map((v, i) => canonical(v, r.columns[i].type))), status: r.status, columns: r.columns };
}

const byUuid = (rows) => [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

test('the searches the page builds return what DuckDB returns', async (t) => {
  if (!(await apiAvailable())) {
    t.skip('the query API (/v1/queries) is not in this build');
    return;
  }
  const api = new QueryApi({ base: server.url });
  const [sample] = await duck('SELECT user_id, request_id FROM access_log WHERE user_id IS NOT NULL ORDER BY uuid LIMIT 1', []);
  const range = (fromH, toH) => ({ from: DAY1 + fromH * H, to: DAY1 + toH * H });
  const cases = [
    { tenant_id: 'acme', ...range(10, 12) },
    { tenant_id: 'acme', status: '5xx', ...range(0, 48) },
    { status: '404', ...range(0, 30) },
    { method: 'get', path: '/api/v1/products/', path_mode: 'prefix', ...range(3, 5) },
    { path: '.css', path_mode: 'suffix', user_agent: 'iphone', ...range(0, 12) },
    { path: 'carts', path_mode: 'contains', method: 'DELETE', ...range(0, 24) },
    { user_id: sample[0], ...range(0, 48) },
    { request_id: sample[1], ...range(0, 48) },
    { path: '/api/v1/products/1_', path_mode: 'prefix', ...range(0, 48) },  // '_' is no wildcard
    { path: '%', path_mode: 'contains', ...range(0, 48) },
    { tenant_id: "acme' OR 1=1 --", ...range(0, 48) },
    { user_agent: "%' OR '1'='1", ...range(0, 48) },
  ];
  let nonEmpty = 0;
  for (const c of cases) {
    const f = { ...emptyFilters(), ...c };
    const q = buildSearchQuery(f);
    const got = await ours(api, q);
    const want = await duck(q.sql, q.params);
    assert.ok(want.length < 1000, `test bug: ${JSON.stringify(c)} matches ${want.length} rows; narrow it`);
    assert.equal(got.rows.length, want.length, `${JSON.stringify(c)}\n${q.sql}`);
    assert.deepEqual(byUuid(got.rows), byUuid(want), JSON.stringify(c));
    const times = got.rows.map((r) => r[1]);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    assert.ok(Number.isFinite(got.status.stats?.bytes_scanned), 'the status reports bytes scanned');
    if (want.length > 0) nonEmpty++;
    const h = buildHistogramQuery(f);
    const hGot = await ours(api, h);
    assert.deepEqual(hGot.rows, await duck(h.sql, h.params), `histogram of ${JSON.stringify(c)}`);
    assert.equal(hGot.rows.reduce((s, r) => s + Number(r[1]), 0), want.length, 'the histogram counts the same records');
  }
  assert.ok(nonEmpty >= 8, `only ${nonEmpty} searches found records: the cases no longer fit the generated data`);

  // The whole lake: the newest 1000 records, as DuckDB orders them.
  const all = buildSearchQuery({ ...emptyFilters(), ...range(0, 48) });
  const gotAll = await ours(api, all);
  assert.equal(gotAll.rows.length, 1000);
  assert.deepEqual(gotAll.rows.map((r) => r[1]), (await duck(all.sql, all.params)).map((r) => r[1]));
});

test('a range over the server\'s limit is refused in words the page shows; the page\'s longest is not', async (t) => {
  if (!(await apiAvailable())) {
    t.skip('the query API (/v1/queries) is not in this build');
    return;
  }
  const api = new QueryApi({ base: server.url });
  // The page refuses this itself (search_sql checkRange); a raw request gets the server's answer.
  const sql = 'SELECT count(*) FROM access_log WHERE time >= ? AND time < ?';
  const params = [{ type: 'timestamp', value: '2024-04-01T00:00:00Z' }, { type: 'timestamp', value: '2024-05-11T00:00:00Z' }];
  await assert.rejects(api.run(sql, params), (e) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(describeError(e).key, 'err_range', `${e.status} ${e.code}: ${e.serverMessage}`);
    return true;
  });
  // The longest range the page sends (31 days, from midnight in Tokyo: 32 UTC days) is accepted.
  const longest = buildSearchQuery({ ...emptyFilters(), from: DAY1 - 9 * H, to: DAY1 - 9 * H + 31 * 24 * H });
  const r = await api.run(longest.sql, longest.params);
  assert.equal(r.status.state, 'SUCCEEDED');
  assert.equal(r.rows.length, 1000);
});

test('with tokens configured: the page is public, the API asks for a token', async (t) => {
  const dir = freshDir('search-ui-token');
  const config = path.join(dir, 'loglake.toml');
  fs.writeFileSync(config, `[[tokens]]\ntoken = "${TOKEN}"\nscopes = ["query"]\n`);
  const tokenLake = freshDir('search-ui-token-lake');
  convert({ lake: tokenLake, input: gen({ records: 500, start: '2024-05-01', days: 1, seed: 3 }) });
  const guarded = await startServer({ lake: tokenLake, extraArgs: ['--config', config] });
  try {
    const page = await rawGet(guarded.port, '/');
    assert.equal(page.status, 200);
    assert.equal((await rawGet(guarded.port, '/ui/js/app.mjs')).status, 200);
    if (!(await fetch(`${guarded.url}/v1/queries`, { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${TOKEN}` } }).then((r) => r.status !== 404))) {
      t.skip('the query API (/v1/queries) is not in this build');
      return;
    }
    const storage = new Map();
    const api = new QueryApi({
      base: guarded.url,
      storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v), removeItem: (k) => storage.delete(k) },
    });
    const q = buildSearchQuery({ ...emptyFilters(), from: DAY1, to: DAY1 + H });
    await assert.rejects(api.run(q.sql, q.params), (e) => e instanceof ApiError && e.status === 401 && describeError(e).key === 'err_token');
    api.token = 'not-the-right-token-0000000000';
    await assert.rejects(api.run(q.sql, q.params), (e) => e instanceof ApiError && e.status === 401);
    api.token = TOKEN;
    const r = await api.run(q.sql, q.params);
    assert.equal(r.status.state, 'SUCCEEDED');
    assert.ok(r.rows.length > 0 && r.rows.length < 500);
  } finally {
    await stopServer(guarded);
  }
});
