// The query API of `loglake serve` (README "Query API"), driven over HTTP on a lake made by
// `loglake gen | loglake convert`: every state, paging across more than 1,000 rows (judged by
// DuckDB over the same files), cancel, queueing and 429, timeout, the bytes limit, the 31-day
// limit, expiry, tokens (401/403), a tenant-bound token, the estimate, the audit log (refused
// submissions included), the query counters of /metrics and the OpenAPI document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { convert, freshDir, gen, parquetFiles } from './lib/loglake.mjs';
import { openDuckDB, sqlFileList } from './lib/duckdb.mjs';
import { isoToMicros } from './lib/expected.mjs';
import { startServer, stopServer } from './lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const TOKENS = {
  admin: 'admin-token-0123456789',
  support: 'support-token-0123456789',
  acme: 'acme-only-token-0123456789',
  ingest: 'ingest-token-0123456789',
};

// A query slow enough to be seen RUNNING, cancelled or timed out: string work that grows each
// user agent to ~10 kB and walks it, `weight` times per row. Weight 1 costs ~0.03 s per day of
// this lake in a release build and ~0.8 s under ASan; the engine checks for cancel and timeout
// between row groups (a day's file here).
const slowSql = (weight) => 'SELECT sum(' +
  Array(weight).fill("length(lower(upper(lower(upper(replace(replace(user_agent, 'a', user_agent), 'e', user_agent))))))").join(' + ') +
  ') FROM access_log WHERE time >= ? AND time < ?';
const ts = (iso) => ({ type: 'timestamp', value: iso });

function client(url, token) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const call = async (method, p, body) => {
    const res = await fetch(url + p, {
      method,
      headers: body ? { ...headers, 'Content-Type': 'application/json' } : headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = { raw: text }; }
    return { status: res.status, json, headers: res.headers };
  };
  return {
    submit: (body) => call('POST', '/v1/queries', body),
    state: (id) => call('GET', `/v1/queries/${id}`),
    results: (id, q = '') => call('GET', `/v1/queries/${id}/results${q}`),
    cancel: (id) => call('DELETE', `/v1/queries/${id}`),
    estimate: (body) => call('POST', '/v1/queries/estimate', body),
    get: (p) => call('GET', p),
    // Submits and polls until a final state; returns the final GET answer's JSON.
    async run(body) {
      const sub = await this.submit(body);
      assert.equal(sub.status, 200, JSON.stringify(sub.json));
      assert.equal(sub.json.state, 'QUEUED');
      return this.await(sub.json.id);
    },
    async await(id) {
      for (;;) {
        const s = await this.state(id);
        assert.equal(s.status, 200, JSON.stringify(s.json));
        // A query cancelled while running reads CANCELLED at once; finished_at is set once the
        // engine has stopped.
        if (!['QUEUED', 'RUNNING'].includes(s.json.state) && s.json.finished_at) return s.json;
        await sleep(20);
      }
    },
    async awaitState(id, state) {
      for (let i = 0; i < 1000; i++) {
        const s = await this.state(id);
        if (s.json.state === state) return s.json;
        await sleep(10);
      }
      throw new Error(`query ${id} never reached ${state}`);
    },
  };
}

function writeConfig(dir, name, { tokens = true, query }) {
  let text = `wal = ${JSON.stringify(path.join(dir, `wal-${name}`))}\n`;
  if (tokens) {
    text += `
[[tokens]]
token = "${TOKENS.admin}"
scopes = ["admin"]
name = "ops"

[[tokens]]
token = "${TOKENS.support}"
scopes = ["query"]

[[tokens]]
token = "${TOKENS.acme}"
scopes = ["query"]
name = "acme-support"
tenants = ["acme"]

[[tokens]]
token = "${TOKENS.ingest}"
scopes = ["ingest"]
`;
  }
  text += `\n[query]\naudit_log = ${JSON.stringify(path.join(dir, `audit-${name}.ndjson`))}\n`;
  for (const [k, v] of Object.entries(query)) text += `${k} = ${v}\n`;
  const file = path.join(dir, `${name}.toml`);
  fs.writeFileSync(file, text);
  return file;
}

// GET /metrics once no query runs: { 'name{labels}': number }.
async function queryMetrics(url) {
  for (let i = 0; i < 500; i++) {
    const res = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKENS.admin}` } });
    assert.equal(res.status, 200);
    const values = {};
    for (const line of (await res.text()).split('\n')) {
      const m = line.match(/^(loglake_quer\S+) (\S+)$/);
      if (m) values[m[1]] = Number(m[2]);
    }
    if (values.loglake_queries_running === 0) return values;
    await sleep(10);
  }
  throw new Error('a query is still running');
}

function auditLines(dir, name) {
  const file = path.join(dir, `audit-${name}.ndjson`);
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

// One lake for every server: 12,000 records over 35 days from 2024-05-01, no duplicates.
function makeLake() {
  const dir = freshDir('query-api');
  const lake = path.join(dir, 'data');
  convert({ lake, input: gen({ records: 12000, start: '2024-05-01', days: 35, seed: 61 }) });
  return { dir, lake };
}

const { dir, lake } = makeLake();

test('states, paging against DuckDB, errors, tokens, tenants, cancel, queueing, audit', { timeout: 300_000 }, async () => {
  const config = writeConfig(dir, 'main', {
    query: { max_concurrent: 2, max_queued: 1, timeout_seconds: 120, audit_unauthenticated_per_minute: 1 },
  });
  const server = await startServer({ lake, extraArgs: ['--config', config] });
  const api = client(server.url, TOKENS.support);
  const admin = client(server.url, TOKENS.admin);
  let metrics;
  const acme = client(server.url, TOKENS.acme);
  try {
    // SUCCEEDED, with more than 1,000 rows paged by next_token; DuckDB answers the same query.
    const from = '2024-05-01T00:00:00Z';
    const to = '2024-05-08T00:00:00+00:00';
    const done = await api.run({
      sql: 'SELECT uuid, time, status, path FROM access_log WHERE time >= ? AND time < ? ORDER BY time DESC, uuid',
      params: [ts(from), ts(to)],
    });
    assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done));
    for (const k of ['submitted_at', 'started_at', 'finished_at']) assert.ok(!Number.isNaN(Date.parse(done[k])), k);
    assert.ok(done.elapsed_seconds >= 0);
    assert.ok(done.stats.bytes_scanned > 0);
    assert.equal(done.stats.files_considered, 7);
    assert.ok(done.stats.rows_returned > 1000, `${done.stats.rows_returned} rows`);

    const rows = [];
    let token = null;
    let pages = 0;
    do {
      const page = await api.results(done.id, token ? `?next_token=${encodeURIComponent(token)}` : '');
      assert.equal(page.status, 200, JSON.stringify(page.json));
      assert.deepEqual(page.json.columns, [
        { name: 'uuid', type: 'varchar' }, { name: 'time', type: 'timestamp' },
        { name: 'status', type: 'integer' }, { name: 'path', type: 'varchar' }]);
      assert.ok(page.json.rows.length <= 1000);
      rows.push(...page.json.rows);
      token = page.json.next_token;
      pages++;
    } while (token);
    assert.equal(rows.length, done.stats.rows_returned);
    assert.equal(pages, Math.ceil(rows.length / 1000));

    const db = await openDuckDB();
    const expected = await db.all(
      `SELECT uuid, epoch_us(time) AS t, status, path FROM read_parquet(${sqlFileList(parquetFiles(lake, 'access_log'))})
       WHERE epoch_us(time) >= ${isoToMicros(from)} AND epoch_us(time) < ${isoToMicros(to)} ORDER BY t DESC, uuid`);
    db.close();
    assert.equal(rows.length, expected.length);
    rows.forEach((r, i) => {
      const e = expected[i];
      assert.deepEqual([r[0], isoToMicros(r[1]), r[2], r[3]], [e.uuid, e.t, e.status, e.path], `row ${i}`);
    });
    // A smaller page size; a bad token.
    const small = await api.results(done.id, '?max_results=10');
    assert.equal(small.json.rows.length, 10);
    assert.deepEqual(small.json.rows, rows.slice(0, 10));
    assert.equal((await api.results(done.id, '?next_token=nonsense')).status, 400);

    // Query errors come back at once: 400 with the position.
    const bad = await api.submit({ sql: 'SELECT uuid FORM access_log' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'invalid_query');
    assert.match(bad.json.error.message, /line 1:18: expected FROM/);
    const typed = await api.submit({ sql: 'SELECT * FROM access_log WHERE status = ?', params: ['x'] });
    assert.equal(typed.status, 400);
    assert.equal((await api.submit({ sql: 'SELECT 1', params: [{ type: 'timestamp', value: 'noon' }] })).status, 400);
    // Unknown ids.
    assert.equal((await api.state('0000')).status, 404);
    assert.equal((await api.results('0000')).status, 404);

    // Tokens: none → 401, unknown → 401, without the query scope → 403; another token's query is
    // not visible, admin sees it.
    const anonymous = await client(server.url).submit({ sql: 'SELECT 1' });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error.code, 'unauthorized');
    // Two more without a valid token: over audit_unauthenticated_per_minute = 1, only counted.
    assert.equal((await client(server.url).submit({ sql: 'SELECT 2' })).status, 401);
    assert.equal((await client(server.url, 'y'.repeat(20)).submit({ sql: 'SELECT 3' })).status, 401);
    assert.equal((await client(server.url, 'x'.repeat(20)).state(done.id)).status, 401);
    const ingestOnly = await client(server.url, TOKENS.ingest).submit({ sql: 'SELECT 1' });
    assert.equal(ingestOnly.status, 403);
    assert.equal(ingestOnly.json.error.code, 'forbidden');
    assert.equal((await client(server.url, TOKENS.ingest).get('/v1/tables')).status, 403);
    assert.equal((await acme.state(done.id)).status, 404);
    assert.equal((await admin.state(done.id)).status, 200);

    // The 31-day limit: a 40-day range fails before reading anything.
    const wide = await api.run({ sql: 'SELECT count(*) FROM access_log WHERE time >= ? AND time < ?',
      params: [ts('2024-05-01T00:00:00Z'), ts('2024-06-10T00:00:00Z')] });
    assert.equal(wide.state, 'FAILED');
    assert.equal(wide.error.code, 'range_too_large');
    assert.match(wide.error.message, /40 days.*at most 31 days/);
    assert.equal(wide.stats.bytes_scanned, 0);
    const failed = await api.results(wide.id);
    assert.equal(failed.status, 409);
    assert.equal(failed.json.error.state, 'FAILED');
    assert.equal(failed.json.error.code, 'range_too_large');
    // No time range at all: the 35 days of the lake are too many too.
    assert.equal((await api.run({ sql: 'SELECT count(*) FROM access_log' })).error.code, 'range_too_large');
    // 31 days in Tokyo time (32 UTC partitions) pass.
    const month = await api.run({ sql: 'SELECT count(*) AS n FROM access_log WHERE time >= ? AND time < ?',
      params: [ts('2024-05-01T00:00:00+09:00'), ts('2024-06-01T00:00:00+09:00')] });
    assert.equal(month.state, 'SUCCEEDED', JSON.stringify(month));

    // A tenant-bound token sees only its tenant, whatever the SQL says.
    const day = "datepath = '2024/05/02'";
    for (const where of [
      `${day}`,
      `${day} AND (tenant_id = 'globex' OR 1 = 1)`,
      `${day} OR (datepath = '2024/05/03' AND tenant_id <> 'acme')`,
      `(${day}) AND NOT (tenant_id = 'acme')`,
    ]) {
      const q = await acme.run({ sql: `SELECT tenant_id, count(*) AS n FROM access_log WHERE ${where} GROUP BY tenant_id` });
      assert.equal(q.state, 'SUCCEEDED', JSON.stringify(q));
      const page = await acme.results(q.id);
      assert.ok(page.json.rows.every(([tenant]) => tenant === 'acme'), `${where}: ${JSON.stringify(page.json.rows)}`);
    }
    const all = await api.run({ sql: `SELECT DISTINCT tenant_id FROM access_log WHERE ${day}` });
    assert.ok((await api.results(all.id)).json.rows.length > 1, 'an unbound token sees several tenants');
    // ... and its estimate is restricted too (same days, so the same files).
    const est = await acme.estimate({ sql: `SELECT * FROM access_log WHERE ${day}` });
    assert.equal(est.status, 200);
    assert.deepEqual(est.json.days, 1);

    // The estimate: the day partitions' file sizes.
    const week = await api.estimate({ sql: 'SELECT * FROM access_log WHERE time >= ? AND time < ?', params: [ts(from), ts(to)] });
    assert.equal(week.status, 200);
    const weekFiles = parquetFiles(lake, 'access_log').filter((f) => /2024\/05\/0[1-7]\//.test(f));
    assert.deepEqual(week.json, { bytes: weekFiles.reduce((s, f) => s + fs.statSync(f).size, 0), files: weekFiles.length, days: 7 });

    // Tables for the column chooser.
    const tables = await api.get('/v1/tables');
    assert.equal(tables.json.tables[0].name, 'access_log');
    assert.equal(tables.json.tables[0].time_column, 'time');
    assert.ok(tables.json.tables[0].columns.some((c) => c.name === 'tenant_id' && c.type === 'varchar'));

    // Two slow queries run (max_concurrent = 2), a third waits (max_queued = 1), a fourth is 429.
    const slowBody = { sql: slowSql(1), params: [ts('2024-05-01T00:00:00Z'), ts('2024-06-01T00:00:00Z')] };
    const a = (await api.submit(slowBody)).json.id;
    const b = (await api.submit(slowBody)).json.id;
    await api.awaitState(a, 'RUNNING');
    await api.awaitState(b, 'RUNNING');
    const c = await api.submit(slowBody);
    assert.equal(c.status, 200);
    assert.equal((await api.state(c.json.id)).json.state, 'QUEUED');
    assert.equal((await api.state(c.json.id)).json.started_at, null);
    const refused = await api.submit(slowBody);
    assert.equal(refused.status, 429);
    assert.equal(refused.json.error.code, 'too_many_queries');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const notYet = await api.results(a);
    assert.equal(notYet.status, 409);
    assert.equal(notYet.json.error.state, 'RUNNING');
    // Cancel: the queued one and a running one become CANCELLED; the other keeps running.
    assert.deepEqual((await api.cancel(c.json.id)).json, { id: c.json.id, state: 'CANCELLED' });
    assert.deepEqual((await api.cancel(a)).json, { id: a, state: 'CANCELLED' });
    const cancelled = await api.await(a);
    assert.equal(cancelled.state, 'CANCELLED');
    assert.ok(cancelled.finished_at);
    assert.equal((await api.results(a)).status, 409);
    assert.equal((await api.state(b)).json.state, 'RUNNING');
    assert.equal((await api.cancel(b)).json.state, 'CANCELLED');
    await api.await(b);
    // A query submitted after the slots freed up runs.
    assert.equal((await api.run({ sql: `SELECT count(*) FROM access_log WHERE ${day}` })).state, 'SUCCEEDED');

    // The OpenAPI document parses and lists every route.
    const doc = await client(server.url).get('/v1/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.json.openapi.slice(0, 2), '3.');
    assert.deepEqual(Object.keys(doc.json.paths).sort(), [
      '/v1/openapi.json', '/v1/queries', '/v1/queries/estimate', '/v1/queries/{id}', '/v1/queries/{id}/results', '/v1/tables']);

    metrics = await queryMetrics(server.url);
  } finally {
    const end = await stopServer(server);
    assert.equal(end.code, 0, server.stderr());
  }

  // The audit log: one line per submission, who sent it (never the secret), with what, and what
  // became of it.
  const audit = auditLines(dir, 'main');
  const text = fs.readFileSync(path.join(dir, 'audit-main.ndjson'), 'utf8');
  for (const secret of Object.values(TOKENS)) assert.ok(!text.includes(secret), 'a token secret is in the audit log');
  const states = audit.map((l) => l.state);
  assert.equal(states.filter((s) => s === 'CANCELLED').length, 3);
  assert.ok(states.includes('SUCCEEDED') && states.includes('FAILED'));
  const first = audit[0];
  assert.match(first.token, /^token-[0-9a-f]{8}$/);
  assert.match(first.sql, /ORDER BY time DESC/);
  assert.deepEqual(first.params, [ts('2024-05-01T00:00:00Z'), ts('2024-05-08T00:00:00+00:00')]);
  assert.ok(first.rows > 1000 && first.bytes_scanned > 0 && first.error === null);
  assert.ok(audit.some((l) => l.token === 'acme-support'));
  assert.ok(audit.some((l) => l.state === 'FAILED' && /max_range_days/.test(l.error)));
  assert.ok(audit.every((l) => !Number.isNaN(Date.parse(l.time)) && typeof l.elapsed_seconds === 'number'));
  for (const l of audit) {
    assert.deepEqual(Object.keys(l), ['time', 'id', 'token', 'remote', 'sql', 'params', 'state', 'http_status', 'code',
      'rows', 'bytes_scanned', 'elapsed_seconds', 'error']);
    if (l !== audit[audit.length - 1]) assert.equal(l.remote, '127.0.0.1');
  }
  // Refused submissions, at once, in order: with the answer, who sent them and what.
  const refusedLines = audit.filter((l) => l.state === 'REFUSED');
  assert.deepEqual(refusedLines.map((l) => [l.http_status, l.code]), [
    [400, 'invalid_query'], [400, 'invalid_query'], [400, 'invalid_request'], [401, 'unauthorized'], [403, 'forbidden'],
    [429, 'too_many_queries'], [401, 'unauthorized']]);
  const [syntax, , noon, nobody, scopeless, full, leftOut] = refusedLines;
  assert.equal(syntax.sql, 'SELECT uuid FORM access_log');
  assert.match(syntax.error, /line 1:18: expected FROM/);
  assert.equal(syntax.token, first.token);
  assert.deepEqual(noon.params, [{ type: 'timestamp', value: 'noon' }]);
  // Nobody: no name, and none of anybody's text.
  assert.deepEqual([nobody.token, nobody.sql, nobody.params, nobody.id], [null, null, null, null]);
  assert.match(scopeless.token, /^token-[0-9a-f]{8}$/);
  assert.notEqual(scopeless.token, first.token);
  assert.equal(scopeless.sql, 'SELECT 1');
  assert.deepEqual(scopeless.params, []);
  assert.match(full.error, /max_queued/);
  assert.equal(full.sql, slowSql(1));
  // The two over the limit, summed up at shutdown (the last line).
  assert.equal(audit[audit.length - 1], leftOut);
  assert.match(leftOut.error, /^2 more submissions without a valid token since .*audit_unauthenticated_per_minute = 1/);
  assert.deepEqual([leftOut.token, leftOut.sql, leftOut.remote], [null, null, null]);
  assert.ok(refusedLines.every((l) => l.id === null && l.rows === 0 && l.bytes_scanned === 0));
  assert.ok(audit.every((l) => l.state === 'REFUSED' || (l.http_status === 200 && typeof l.id === 'string')));
  assert.ok(audit.some((l) => l.state === 'FAILED' && l.code === 'range_too_large'));

  // /metrics agrees with the audit log.
  const count = (state) => audit.filter((l) => l.state === state).length;
  const ran = audit.filter((l) => l.state !== 'REFUSED');
  assert.equal(metrics.loglake_queries_submitted_total, ran.length);
  assert.equal(metrics['loglake_queries_total{state="succeeded"}'], count('SUCCEEDED'));
  assert.equal(metrics['loglake_queries_total{state="failed"}'], count('FAILED'));
  assert.equal(metrics['loglake_queries_total{state="cancelled"}'], count('CANCELLED'));
  assert.equal(metrics['loglake_queries_total{state="refused"}'], refusedLines.length - 1 + 2);  // the sum stands for 2
  assert.equal(metrics.loglake_queries_queued, 0);
  assert.equal(metrics.loglake_query_bytes_scanned_total, ran.reduce((s, l) => s + l.bytes_scanned, 0));
  assert.equal(metrics.loglake_query_rows_returned_total,
    audit.filter((l) => l.state === 'SUCCEEDED').reduce((s, l) => s + l.rows, 0));
  // Every query that started has a duration: all but the one cancelled while queued.
  assert.equal(metrics.loglake_query_duration_seconds_count, ran.length - 1);
  assert.equal(metrics.loglake_query_audit_suppressed_total, 2);
});

test('a query past timeout_seconds fails with the timeout code', { timeout: 120_000 }, async () => {
  const config = writeConfig(dir, 'timeout', { tokens: false, query: { timeout_seconds: 0.1 } });
  const server = await startServer({ lake, extraArgs: ['--config', config] });
  const api = client(server.url);
  try {
    const slow = await api.run({ sql: slowSql(3), params: [ts('2024-05-01T00:00:00Z'), ts('2024-05-11T00:00:00Z')] });
    assert.equal(slow.state, 'FAILED', JSON.stringify(slow));
    assert.equal(slow.error.code, 'timeout');
    assert.match(slow.error.message, /0\.1 s \(timeout_seconds\)/);
    assert.equal((await api.results(slow.id)).json.error.code, 'timeout');
  } finally {
    const end = await stopServer(server);
    assert.equal(end.code, 0, server.stderr());
  }
});

test('the bytes limit and expiry', { timeout: 120_000 }, async () => {
  const config = writeConfig(dir, 'limits', { tokens: false, query: { max_bytes_scanned: 300000, result_ttl_seconds: 2 } });
  const server = await startServer({ lake, extraArgs: ['--config', config] });
  const api = client(server.url);
  try {
    // Every column of 20 days is ~900 kB.
    const big = await api.run({ sql: 'SELECT * FROM access_log WHERE time >= ? AND time < ?',
      params: [ts('2024-05-01T00:00:00Z'), ts('2024-05-21T00:00:00Z')] });
    assert.equal(big.state, 'FAILED');
    assert.equal(big.error.code, 'bytes_limit');
    assert.match(big.error.message, /max_bytes_scanned/);

    const small = await api.run({ sql: "SELECT count(*) FROM access_log WHERE datepath = '2024/05/05'" });
    assert.equal(small.state, 'SUCCEEDED');
    assert.equal((await api.results(small.id)).status, 200);
    await sleep(2300);
    assert.equal((await api.state(small.id)).status, 404);
    assert.equal((await api.results(small.id)).status, 404);

    // SIGTERM cancels a running query (within a row group) and still exits 0.
    const slow = await api.submit({ sql: slowSql(1), params: [ts('2024-05-01T00:00:00Z'), ts('2024-05-21T00:00:00Z')] });
    await api.awaitState(slow.json.id, 'RUNNING');
  } finally {
    const end = await stopServer(server);
    assert.equal(end.code, 0, server.stderr());
  }
  const audit = auditLines(dir, 'limits');
  assert.deepEqual(audit.map((l) => [l.token, l.state]),
    [['anonymous', 'FAILED'], ['anonymous', 'SUCCEEDED'], ['anonymous', 'CANCELLED']]);
  assert.match(audit[2].error, /shut down/);
});
