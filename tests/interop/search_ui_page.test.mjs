// The real search page driven in jsdom against the real `loglake serve`: the HTML the server
// sends, the page's own modules (ui/js/app.mjs) running on it, the query API behind it. A viewer
// in Tokyo with a Japanese browser opens a shared link and sees it run; opens a record; downloads
// CSV; switches to UTC; is refused a 40-day range; is warned above the scan threshold; cancels; and
// on a server with tokens is asked for a token once. (jsdom runs no module scripts itself, so the
// test loads app.mjs with the page's window as the globals, as the browser would.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { JSDOM, VirtualConsole } from 'jsdom';

import { QueryApi } from '../../ui/js/api.mjs';
import { buildSearchQuery, emptyFilters } from '../../ui/js/search_sql.mjs';
import { encodeSearch } from '../../ui/js/url_state.mjs';
import { convert, freshDir, gen } from './lib/loglake.mjs';
import { parseCsv } from './lib/query/csv.mjs';
import { startServer, stopServer } from './lib/server.mjs';

const H = 3_600_000;
const DAY1 = Date.UTC(2024, 4, 1);
const TOKEN = 'search-ui-page-token-0123456789';
const GLOBALS = ['window', 'document', 'location', 'history', 'navigator', 'localStorage', 'sessionStorage', 'getSelection'];

let lake;
let server;
let pageCount = 0;
const realFetch = globalThis.fetch;
const realCreateObjectURL = URL.createObjectURL;

before(async () => {
  process.env.TZ = 'Asia/Tokyo';  // the viewer's zone, as Intl reports it
  lake = freshDir('search-ui-page');
  convert({ lake, input: gen({ records: 20_000, start: '2024-05-01', days: 2, seed: 29 }) });
  server = await startServer({ lake });
});

after(async () => {
  globalThis.fetch = realFetch;
  URL.createObjectURL = realCreateObjectURL;
  if (server) await stopServer(server);
});

/**
 * Opens `fragment` of the page served at `base` in jsdom and starts app.mjs on it. Returns the
 * window, a log of the API requests ({ method, path }) and the downloads (Blobs).
 */
async function openPage(base, fragment = '', { languages = ['ja-JP', 'en'], delayStatusMs = 0 } = {}) {
  const html = await (await realFetch(`${base}/`)).text();
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (e) => {
    if (!/Not implemented: (navigation|HTMLDialogElement)/.test(e.message)) throw e;
  });
  const dom = new JSDOM(html, { url: `${base}/#${fragment}`, virtualConsole, pretendToBeVisual: true });
  const win = dom.window;
  const requests = [];
  const downloads = [];
  const nav = { languages, language: languages[0], userAgent: 'jsdom' };
  const values = { ...Object.fromEntries(GLOBALS.map((g) => [g, win[g]])), window: win, navigator: nav, getSelection: () => win.getSelection() };
  for (const g of GLOBALS) Object.defineProperty(globalThis, g, { value: values[g], configurable: true, writable: true });
  globalThis.fetch = async (url, init = {}) => {
    const u = new URL(url, base);
    requests.push({ method: init.method ?? 'GET', path: u.pathname });
    if (delayStatusMs && /^\/v1\/queries\/[^/]+$/.test(u.pathname) && (init.method ?? 'GET') === 'GET') {
      await new Promise((r) => setTimeout(r, delayStatusMs));
    }
    return realFetch(u, init);
  };
  URL.createObjectURL = (blob) => {
    downloads.push(blob);
    return realCreateObjectURL(blob);
  };
  await import(`../../ui/js/app.mjs?page=${++pageCount}`);
  return { win, doc: win.document, requests, downloads };
}

async function waitFor(what, check, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const rows = (doc) => [...doc.querySelectorAll('#results-body tr')];
const idle = (doc) => doc.getElementById('progress').hidden;
const noticeText = (doc) => (doc.getElementById('notice').hidden ? '' : doc.getElementById('notice-text').textContent);

function change(doc, id, value) {
  const el = doc.getElementById(id);
  el.value = value;
  el.dispatchEvent(new doc.defaultView.Event('change', { bubbles: true }));
}

test('a Tokyo viewer opens a shared search, reads it in JST, opens a record, downloads CSV, switches to UTC', async () => {
  const filters = { ...emptyFilters(), from: DAY1 + 10 * H, to: DAY1 + 14 * H, tenant_id: 'acme', status: '2xx' };
  const expected = await new QueryApi({ base: server.url }).run(buildSearchQuery(filters).sql, buildSearchQuery(filters).params);
  assert.ok(expected.rows.length > 20 && expected.rows.length < 1000, `test bug: ${expected.rows.length} rows`);

  const { doc, requests, downloads } = await openPage(server.url, encodeSearch(filters));
  // Japanese labels, the zone said, the link's instants shown as JST wall times.
  assert.equal(doc.documentElement.lang, 'ja');
  assert.equal(doc.getElementById('search-button').textContent, '検索');
  assert.match(doc.getElementById('zone-note').textContent, /Asia\/Tokyo \(UTC\+09:00\)/);
  assert.equal(doc.getElementById('f-from').value, '2024-05-01T19:00');
  assert.equal(doc.getElementById('f-to').value, '2024-05-01T23:00');
  assert.equal(doc.getElementById('f-tenant_id').value, 'acme');

  await waitFor('results', () => rows(doc).length > 0 && idle(doc) && !doc.getElementById('histogram').hidden);
  assert.equal(rows(doc).length, expected.rows.length);
  assert.ok(requests.some((r) => r.method === 'POST' && r.path === '/v1/queries/estimate'), 'estimate asked first');
  assert.equal(requests.filter((r) => r.method === 'POST' && r.path === '/v1/queries').length, 2, 'records + histogram');
  // Newest first, in JST: the first row's time is the newest record's time plus 9 hours.
  const timeIndex = expected.columns.findIndex((c) => c.name === 'time');
  const newest = expected.rows[0][timeIndex];
  const headers = [...doc.querySelectorAll('#results-head th')].map((th) => th.textContent);
  assert.equal(headers[0], 'time UTC+09:00');
  const firstTime = rows(doc)[0].cells[0].textContent;
  assert.equal(firstTime.slice(0, 19), new Date(Date.parse(`${newest.replace(' ', 'T')}Z`) + 9 * H).toISOString().replace('T', ' ').slice(0, 19));
  assert.match(doc.getElementById('summary').textContent, new RegExp(`${expected.rows.length} 件 \\(新しい順\\)`));
  assert.match(doc.getElementById('summary').textContent, /\d+(\.\d+)? (B|kB|MB|GB) 読み込み/);
  // The histogram: 4 hours → hour bars with the same total.
  const bars = doc.querySelectorAll('#histogram-body svg .bar');
  assert.equal(bars.length, 4);
  assert.match(doc.getElementById('histogram-info').textContent, new RegExp(`期間内 ${expected.rows.length} 件 · 1時間ごと`));

  // A record: the whole row as JSON, extra included.
  rows(doc)[0].cells[1].dispatchEvent(new doc.defaultView.MouseEvent('click', { bubbles: true }));
  const dialog = doc.getElementById('record-dialog');
  assert.ok(dialog.open || dialog.hasAttribute('open'));
  const record = JSON.parse(doc.getElementById('record-json').textContent);
  assert.equal(record.uuid, expected.rows[0][0]);
  assert.ok('extra' in record && record.tenant_id === 'acme' && record.status >= 200 && record.status <= 299);
  assert.equal(record.time, `${newest.replace(' ', 'T')}Z`);
  doc.getElementById('record-close').click();

  // CSV of the shown rows.
  doc.getElementById('download-csv').click();
  assert.equal(downloads.length, 1);
  const csv = parseCsv(await downloads[0].text());
  assert.equal(csv.length, expected.rows.length + 1);
  assert.equal(csv[0][0].text, 'uuid');
  assert.equal(csv[1][0].text, expected.rows[0][0]);

  // UTC: the same instants in the inputs and the table, 9 hours earlier on the clock.
  change(doc, 'zone-mode', 'utc');
  assert.equal(doc.getElementById('f-from').value, '2024-05-01T10:00');
  assert.equal(doc.getElementById('zone-note').textContent, '時刻は UTC で表示しています');
  assert.equal(rows(doc)[0].cells[0].textContent.slice(0, 19), newest.slice(0, 19));
  change(doc, 'zone-mode', 'local');

  // English, remembered for the next page.
  change(doc, 'language', 'en');
  assert.equal(doc.getElementById('search-button').textContent, 'Search');
  assert.equal(localStorage.getItem('loglake.lang'), 'en');
});

test('a 40-day range is refused before anything is sent; a search over the threshold asks first; cancel stops it', async () => {
  const { doc, requests } = await openPage(server.url, '', { languages: ['en-US'], delayStatusMs: 300 });
  assert.equal(doc.getElementById('search-button').textContent, 'Search');
  await new Promise((r) => setTimeout(r, 50));
  const before = requests.length;
  doc.getElementById('f-from').value = '2024-04-01T00:00';
  doc.getElementById('f-to').value = '2024-05-11T00:00';
  doc.getElementById('search-button').click();
  assert.equal(noticeText(doc), 'The time range is longer than 31 days. Choose a shorter range.');
  assert.equal(requests.length, before, 'nothing sent');

  // Over the threshold (set to 1 kB here): a warning with the estimate, nothing run until confirmed.
  change(doc, 'threshold', '0.000001');
  doc.getElementById('f-from').value = '2024-05-01T09:00';
  doc.getElementById('f-to').value = '2024-05-02T09:00';
  doc.getElementById('search-button').click();
  await waitFor('the warning', () => !doc.getElementById('notice-actions').hidden);
  assert.match(noticeText(doc), /^This search would read about [\d.]+ (kB|MB) \(days: \d+, files: \d+\), more than your limit of 1 kB\./);
  assert.equal(requests.filter((r) => r.path === '/v1/queries').length, 0);
  doc.getElementById('run-anyway').click();
  await waitFor('results', () => rows(doc).length === 1000 && idle(doc));
  assert.match(doc.getElementById('summary').textContent, /The newest 1,000 of [\d,]+ matching records\./);

  // Cancel while the status polls are slowed down: both queries are deleted on the server.
  change(doc, 'threshold', '0');
  const start = requests.length;
  doc.getElementById('search-button').click();
  const polled = () => new Set(requests.slice(start)
    .filter((r) => r.method === 'GET' && /^\/v1\/queries\/[^/]+$/.test(r.path)).map((r) => r.path));
  await waitFor('both queries to be polled', () => polled().size === 2);
  assert.ok(!idle(doc));
  assert.equal(doc.getElementById('cancel-button').hidden, false);
  doc.getElementById('cancel-button').click();
  assert.equal(noticeText(doc), 'The search was cancelled.');
  assert.ok(idle(doc));
  const deleted = () => new Set(requests.slice(start).filter((r) => r.method === 'DELETE').map((r) => r.path));
  await waitFor('two DELETEs', () => deleted().size === 2);
  assert.deepEqual([...deleted()].sort(), [...polled()].sort());
});

test('with tokens: the page asks once, keeps the token for the tab, and searches with it', async () => {
  const dir = freshDir('search-ui-page-token');
  const config = path.join(dir, 'loglake.toml');
  fs.writeFileSync(config, `[[tokens]]\ntoken = "${TOKEN}"\nscopes = ["query"]\n`);
  const tokenLake = freshDir('search-ui-page-token-lake');
  convert({ lake: tokenLake, input: gen({ records: 2000, start: '2024-05-01', days: 1, seed: 4 }) });
  const guarded = await startServer({ lake: tokenLake, extraArgs: ['--config', config] });
  try {
    const filters = { ...emptyFilters(), from: DAY1, to: DAY1 + 24 * H };
    const { doc, requests } = await openPage(guarded.url, encodeSearch(filters), { languages: ['en'] });
    await waitFor('the token form', () => !doc.getElementById('token-form').hidden);
    assert.equal(rows(doc).length, 0);
    doc.getElementById('token-input').value = TOKEN;
    doc.getElementById('token-form').querySelector('button[type=submit]').click();
    await waitFor('results', () => rows(doc).length === 1000 && idle(doc));
    assert.equal(sessionStorage.getItem('loglake.token'), TOKEN);
    assert.ok(doc.getElementById('token-form').hidden);
    // The next search goes straight through with the kept token.
    const asked = requests.length;
    doc.getElementById('f-tenant_id').value = 'acme';
    doc.getElementById('search-button').click();
    await waitFor('results', () => idle(doc) && requests.length > asked + 4 && rows(doc).length < 1000);
    assert.ok(doc.getElementById('token-form').hidden);
    assert.ok(rows(doc).every((tr) => tr.cells[1].textContent === 'acme'));
  } finally {
    await stopServer(guarded);
  }
});
