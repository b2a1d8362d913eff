// The search page in a real browser: Debian's chromium, headless, driven by playwright-core,
// against the real `loglake serve` (with tokens) on a lake made by `loglake gen | loglake convert`.
// A support person in Tokyo gives a token when asked, searches a tenant over four hours, sees the
// rows, the histogram and the bytes read, opens a record and downloads CSV (checked against
// DuckDB over the same files); a 40-day range is refused with a clear message (by the page, and by
// the server when sent anyway); a search over the scan threshold asks first; and a token bound to
// tenant "acme" sees nothing of "globex" — neither through the page nor through raw SQL on the
// API (OR 1=1, NOT, GROUP BY, comments, parameters).
//
// The browser: $LOGLAKE_CHROMIUM, else the first of /usr/bin/chromium, /usr/lib/chromium/chromium,
// /usr/bin/chromium-browser, /usr/bin/google-chrome (deps/debian-packages.txt installs chromium).
// Screenshots of every step are written to <build>/browser-artifacts/ (beside
// $LOGLAKE_TEST_TMP, which ctest sets to <build>/test-tmp), replaced on every run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { openDuckDB, sqlString } from './lib/duckdb.mjs';
import { convert, freshDir, gen } from './lib/loglake.mjs';
import { parseCsv } from './lib/query/csv.mjs';
import { startServer, stopServer } from './lib/server.mjs';

const H = 3_600_000;
const TOKENS = {
  support: 'browser-support-token-0123456789',
  acme: 'browser-acme-only-token-0123456789',
};
const ARTIFACTS = path.resolve(process.env.LOGLAKE_TEST_TMP ?? os.tmpdir(), '..', 'browser-artifacts');
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

let dir;
let lake;
let server;
let browser;
let duck;

function chromiumPath() {
  const env = process.env.LOGLAKE_CHROMIUM;
  if (env) {
    assert.ok(fs.existsSync(env), `LOGLAKE_CHROMIUM=${env} does not exist`);
    return env;
  }
  const found = CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  assert.ok(found, `no chromium found (${CHROMIUM_CANDIDATES.join(', ')}): run scripts/install-deps.sh, or set LOGLAKE_CHROMIUM`);
  return found;
}

before(async () => {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  dir = freshDir('search-browser');
  lake = path.join(dir, 'data');
  convert({ lake, input: gen({ records: 10_000, start: '2024-05-01', days: 2, seed: 29 }) });
  const config = path.join(dir, 'loglake.toml');
  fs.writeFileSync(config, `wal = ${JSON.stringify(path.join(dir, 'wal'))}

[[tokens]]
token = "${TOKENS.support}"
scopes = ["query"]
name = "support"

[[tokens]]
token = "${TOKENS.acme}"
scopes = ["query"]
name = "acme-support"
tenants = ["acme"]

[query]
audit_log = ${JSON.stringify(path.join(dir, 'audit.ndjson'))}
`);
  server = await startServer({ lake, extraArgs: ['--config', config] });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
  duck = await openDuckDB();
  await duck.connection.run(`SET TimeZone = 'UTC'`);
  await duck.connection.run(
    `CREATE VIEW access_log AS SELECT * FROM read_parquet(${sqlString(path.join(lake, 'access_log', '*', '*', '*', '*.parquet'))})`);
});

after(async () => {
  await browser?.close();
  duck?.close();
  if (server) await stopServer(server);
});

// ---- the API, as a script would use it -------------------------------------------------------

/** Submits `sql` with `token`, waits for a final state, reads every page: { state, error, columns, rows, stats }. */
async function runSql(token, sql, params = []) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const call = async (method, p, body) => {
    const res = await fetch(`${server.url}${p}`, { method, headers, body: body && JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  };
  const sub = await call('POST', '/v1/queries', { sql, params });
  if (sub.status !== 200) return { state: 'REJECTED', status: sub.status, error: sub.json.error, rows: [] };
  let s;
  for (let i = 0; ; i++) {
    s = (await call('GET', `/v1/queries/${sub.json.id}`)).json;
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(s.state)) break;
    assert.ok(i < 3000, `query ${sub.json.id} never finished`);
    await new Promise((r) => setTimeout(r, 10));
  }
  if (s.state !== 'SUCCEEDED') return { state: s.state, error: s.error, rows: [] };
  const rows = [];
  let columns = [];
  let next = null;
  do {
    const page = (await call('GET', `/v1/queries/${sub.json.id}/results${next ? `?next_token=${next}` : ''}`)).json;
    columns = page.columns;
    rows.push(...page.rows);
    next = page.next_token;
  } while (next);
  return { state: s.state, id: sub.json.id, columns, rows, stats: s.stats };
}

// ---- the page ----------------------------------------------------------------------------------

/** A fresh browser profile in Tokyo with `locale`; returns { context, page, requests }. */
async function openPage(locale = 'en-US') {
  const context = await browser.newContext({ locale, timezoneId: 'Asia/Tokyo', acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/v1/')) requests.push({ method: r.method(), path: u.pathname });
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${server.url}/`);
  // The page has started once it says which zone it shows.
  await page.waitForFunction(() => document.getElementById('zone-note').textContent !== '');
  return { context, page, requests, problems };
}

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
const noticeText = (page) => page.evaluate(() => (document.getElementById('notice').hidden ? '' : document.getElementById('notice-text').textContent));
const rowCount = (page) => page.locator('#results-body tr').count();

/** Fills the range (Tokyo wall times, as typed) and the tenant, and presses Search. */
async function searchFor(page, { from, to, tenant = '' }) {
  await armSearch(page);
  await page.fill('#f-from', from);
  await page.fill('#f-to', to);
  await page.fill('#f-tenant_id', tenant);
  await page.click('#search-button');
}

/** Clears the histogram's caption, so that searchDone waits for the next search's. */
const armSearch = (page) => page.evaluate(() => { document.getElementById('histogram-info').textContent = ''; });

/** After armSearch: waits until the search has finished (histogram drawn, or a notice) and nothing runs. */
async function searchDone(page) {
  await page.waitForFunction(() => document.getElementById('progress').hidden &&
    (document.getElementById('histogram-info').textContent !== '' || !document.getElementById('notice').hidden),
  null, { timeout: 30_000 });
}

async function giveToken(page, token) {
  await page.waitForSelector('#token-form:not([hidden])');
  await page.fill('#token-input', token);
  await page.click('#token-form button[type=submit]');
}

/** "2024-05-01T10:00:00.123456Z" (CSV/record form) or "2024-05-01 10:00:00.123456" (API form) → BigInt microseconds. */
function micros(text) {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z?$/.exec(text.replace(' ', 'T'));
  assert.ok(m, `not a timestamp: ${text}`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

// The four hours searched: 19:00–23:00 in Tokyo = 10:00–14:00 UTC on 2024-05-01.
const RANGE = { from: '2024-05-01T19:00', to: '2024-05-01T23:00' };

test('support searches a tenant, sees rows, histogram and bytes, opens a record, downloads CSV that matches DuckDB', { timeout: 60_000 }, async () => {
  const { context, page, requests, problems } = await openPage();
  try {
    await searchFor(page, { ...RANGE, tenant: 'globex' });
    await giveToken(page, TOKENS.support);
    await searchDone(page);
    assert.equal(await noticeText(page), '');

    // What DuckDB finds in the same files, newest first.
    const range = `time >= TIMESTAMP '2024-05-01 10:00:00' AND time < TIMESTAMP '2024-05-01 14:00:00'`;
    const expected = await duck.all(`SELECT uuid, epoch_us(time) AS t, tenant_id, status, path FROM access_log
      WHERE tenant_id = 'globex' AND ${range} ORDER BY time DESC`);
    assert.ok(expected.length > 20 && expected.length < 1000, `test bug: ${expected.length} rows`);

    const n = await rowCount(page);
    assert.equal(n, expected.length);
    const tenantCells = await page.locator('#results-body tr td:nth-child(2)').allTextContents();
    assert.ok(tenantCells.every((c) => c === 'globex'), 'every row is globex');
    const head = await page.locator('#results-head th').allTextContents();
    assert.equal(head[0], 'time UTC+09:00');
    assert.match(await page.textContent('#zone-note'), /Asia\/Tokyo/);
    // The first row's time is the newest record's, shown 9 hours later on the clock.
    const firstCell = await page.locator('#results-body tr').first().locator('td').first().textContent();
    const newestMs = Number(expected[0].t / 1000n);
    assert.equal(firstCell.slice(0, 19), new Date(newestMs + 9 * H).toISOString().replace('T', ' ').slice(0, 19));
    // Histogram: 4 hour bars that add up to every match; the data read is shown.
    assert.equal(await page.locator('#histogram-body svg .bin').count(), 4);
    assert.equal(await page.textContent('#histogram-info'), `${expected.length} in the range · per hour`);
    const summary = await page.textContent('#summary');
    assert.match(summary, new RegExp(`${expected.length} records, newest first`));
    const read = /([\d.]+) (B|kB|MB|GB) read/.exec(summary);
    assert.ok(read && Number(read[1]) > 0, `bytes read shown: ${summary}`);
    assert.equal(requests.filter((r) => r.method === 'POST' && r.path === '/v1/queries').length, 2, 'records + histogram');
    await shot(page, '1-search-results');

    // A record: the whole row as formatted JSON, extra included.
    await page.locator('#results-body tr').nth(0).locator('td').nth(2).click();
    await page.waitForSelector('#record-dialog[open]');
    const recordText = await page.textContent('#record-json');
    assert.match(recordText, /^\{\n {2}"uuid": /, 'indented JSON');
    const record = JSON.parse(recordText);
    assert.equal(record.uuid, expected[0].uuid);
    assert.equal(record.tenant_id, 'globex');
    assert.equal(micros(record.time), expected[0].t);
    assert.ok('extra' in record);
    await shot(page, '2-record');
    await page.click('#record-close');
    await page.waitForFunction(() => !document.getElementById('record-dialog').open);

    // CSV of the shown rows, through the browser's own download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    assert.equal(download.suggestedFilename(), `loglake-2024-05-011000-${expected.length}.csv`);
    const file = path.join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(file);
    const csv = parseCsv(fs.readFileSync(file, 'utf8'));
    const names = csv[0].map((f) => f.text);
    assert.deepEqual(names.slice(0, 3), ['uuid', 'time', 'tenant_id']);
    const col = (name) => names.indexOf(name);
    const body = csv.slice(1);
    assert.equal(body.length, expected.length);
    const byUuid = new Map(expected.map((r) => [r.uuid, r]));
    let previous = null;
    for (const row of body) {
      const want = byUuid.get(row[col('uuid')].text);
      assert.ok(want, `CSV uuid ${row[col('uuid')].text} is one DuckDB found`);
      byUuid.delete(row[col('uuid')].text);
      const t = micros(row[col('time')].text);
      assert.equal(t, want.t);
      assert.equal(row[col('tenant_id')].text, 'globex');
      assert.equal(Number(row[col('status')].text), want.status);
      assert.equal(row[col('path')].text.replace(/^'/, ''), want.path);
      assert.ok(previous === null || t <= previous, 'newest first');
      previous = t;
    }
    assert.equal(byUuid.size, 0, 'every DuckDB row is in the CSV');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a 40-day range is refused in words, by the page and by the server; over the threshold the page asks first', { timeout: 60_000 }, async () => {
  const { context, page, requests } = await openPage();
  try {
    await searchFor(page, { from: '2024-04-01T00:00', to: '2024-05-11T00:00', tenant: 'acme' });
    assert.equal(await noticeText(page), 'The time range is longer than 31 days. Choose a shorter range.');
    assert.equal(requests.length, 0, 'nothing sent');
    await shot(page, '3-range-refused');
    // The same 40 days sent to the API directly: refused by the server before reading anything.
    const forty = await runSql(TOKENS.support, 'SELECT uuid FROM access_log WHERE time >= ? AND time < ?', [
      { type: 'timestamp', value: '2024-04-01T00:00:00Z' }, { type: 'timestamp', value: '2024-05-11T00:00:00Z' }]);
    assert.ok(['FAILED', 'REJECTED'].includes(forty.state), forty.state);
    assert.equal(forty.error.code, 'range_too_large');
    assert.match(forty.error.message, /max_range_days/);

    // The threshold (Settings) at 1 kB: the 4-hour search reads more, so the page asks.
    await page.click('#settings-button');
    await page.fill('#threshold', '0.000001');
    await page.dispatchEvent('#threshold', 'change');
    await page.click('#settings-done');
    await searchFor(page, { ...RANGE, tenant: 'acme' });
    await giveToken(page, TOKENS.support);
    await page.waitForSelector('#notice-actions:not([hidden])');
    assert.match(await noticeText(page),
      /^This search would read about [\d.]+ (kB|MB) \(days: \d+, files: \d+\), more than your limit of 1 kB\./);
    assert.equal(requests.filter((r) => r.path === '/v1/queries').length, 0, 'nothing run before the answer');
    assert.equal(await rowCount(page), 0);
    await shot(page, '4-threshold-warning');
    await armSearch(page);
    await page.click('#run-anyway');
    await searchDone(page);
    const expected = await duck.all(`SELECT count(*)::INTEGER AS n FROM access_log WHERE tenant_id = 'acme'
      AND time >= TIMESTAMP '2024-05-01 10:00:00' AND time < TIMESTAMP '2024-05-01 14:00:00'`);
    assert.equal(await rowCount(page), expected[0].n);
  } finally {
    await context.close();
  }
});

test('a token bound to acme sees nothing of globex: not through the page, not through raw SQL on the API', { timeout: 60_000 }, async () => {
  const count = async (where) => Number((await duck.all(`SELECT count(*) AS n FROM access_log WHERE ${where}`))[0].n);
  const acmeTotal = await count(`tenant_id = 'acme'`);
  const globexTotal = await count(`tenant_id = 'globex'`);
  assert.ok(acmeTotal > 100 && globexTotal > 100, 'test bug: both tenants have records');

  const { context, page } = await openPage('ja-JP');
  try {
    // Through the page: globex over both days → nothing, and no error.
    await armSearch(page);
    await page.fill('#f-from', '2024-05-01T09:00');
    await page.fill('#f-to', '2024-05-03T09:00');
    await page.fill('#f-tenant_id', 'globex');
    await page.click('#search-button');
    await giveToken(page, TOKENS.acme);
    await searchDone(page);
    assert.equal(await noticeText(page), '');
    assert.equal(await rowCount(page), 0);
    assert.equal(await page.textContent('#summary .count'), '条件に一致するレコードはありません。');
    assert.match(await page.textContent('#histogram-info'), /^期間内 0 件/);
    await shot(page, '5-bound-token-other-tenant');
    // SQL typed into the tenant box is a value, not SQL.
    await page.fill('#f-tenant_id', "globex' OR '1'='1");
    await armSearch(page);
    await page.click('#search-button');
    await searchDone(page);
    assert.equal(await rowCount(page), 0);
    // No tenant typed: only acme's records, all of them counted by the histogram.
    await page.fill('#f-tenant_id', '');
    await armSearch(page);
    await page.click('#search-button');
    await searchDone(page);
    assert.equal(await rowCount(page), 1000);
    const tenants = new Set(await page.locator('#results-body tr td:nth-child(2)').allTextContents());
    assert.deepEqual([...tenants], ['acme']);
    assert.equal(await page.textContent('#histogram-info'), `期間内 ${acmeTotal.toLocaleString('ja-JP')} 件 · 1時間ごと`);
    await shot(page, '6-bound-token-own-tenant');
  } finally {
    await context.close();
  }

  // Through raw SQL: every attempt sees acme's records at most.
  const one = async (sql, params) => {
    const r = await runSql(TOKENS.acme, sql, params);
    assert.equal(r.state, 'SUCCEEDED', `${sql}: ${JSON.stringify(r.error)}`);
    return r.rows;
  };
  assert.deepEqual(await one(`SELECT count(*) FROM access_log WHERE tenant_id = 'globex' OR 1 = 1`), [[acmeTotal]]);
  assert.deepEqual(await one(`SELECT count(*) FROM access_log WHERE tenant_id = 'globex'`), [[0]]);
  assert.deepEqual(await one(`SELECT count(*) FROM access_log`), [[acmeTotal]]);
  assert.deepEqual(await one(`SELECT count(*) FROM access_log WHERE NOT (tenant_id = 'acme')`), [[0]]);
  assert.deepEqual(await one(`SELECT count(*) FROM access_log WHERE tenant_id <> 'acme' OR tenant_id IS NULL OR true`), [[acmeTotal]]);
  assert.deepEqual(await one(`SELECT tenant_id, count(*) FROM access_log GROUP BY tenant_id`), [['acme', acmeTotal]]);
  assert.deepEqual(await one(`SELECT DISTINCT tenant_id FROM access_log`), [['acme']]);
  assert.deepEqual(await one(`SELECT count(*) FROM access_log WHERE tenant_id = ? OR ? = ?`, ['globex', 1, 1]), [[acmeTotal]]);
  assert.deepEqual(await one(`SELECT count(*) FROM access_log WHERE tenant_id = 'globex' -- AND tenant_id = 'acme'`), [[0]]);
  assert.deepEqual(await one(`SELECT count(*) FROM access_log WHERE (tenant_id = 'globex') OR (1 = 1) /* ) AND ( */`), [[acmeTotal]]);
  const rows = await one(`SELECT uuid, tenant_id FROM access_log WHERE tenant_id = 'globex' OR 1=1 ORDER BY time DESC LIMIT 10000`);
  assert.equal(rows.length, acmeTotal);
  assert.ok(rows.every((r) => r[1] === 'acme'));
  // A globex record's uuid, asked for directly, is not found.
  const [{ uuid: globexUuid }] = await duck.all(`SELECT uuid FROM access_log WHERE tenant_id = 'globex' LIMIT 1`);
  assert.deepEqual(await one(`SELECT uuid FROM access_log WHERE uuid = ?`, [globexUuid]), []);
  // The unbound support token does see globex (so the zeros above are the binding's doing).
  const support = await runSql(TOKENS.support, `SELECT count(*) FROM access_log WHERE tenant_id = 'globex' OR 1 = 1`);
  assert.equal(support.rows[0][0], await count('true'));
  // Another token's query is not even visible to the bound token.
  const other = await fetch(`${server.url}/v1/queries/${support.id}/results`, { headers: { Authorization: `Bearer ${TOKENS.acme}` } });
  assert.equal(other.status, 404);
});
