// The search page: wires the filters, the query API and the views together. Everything that can
// be checked without a browser lives in the pure modules this one imports (search_sql,
// time_zone, url_state, export_format, errors, i18n, histogram's bins).

import { QueryApi } from './api.mjs';
import { ApiError, describeError } from './errors.mjs';
import { toCsv, toNdjson, recordObject } from './export_format.mjs';
import { formatBytes, formatCount, formatSeconds } from './format.mjs';
import { buildBins, binLabel, renderHistogram } from './histogram.mjs';
import { applyTranslations, pickLanguage, translate } from './i18n.mjs';
import {
  buildHistogramQuery, buildSearchQuery, COLUMNS, emptyFilters, FilterError, MAX_ROWS,
} from './search_sql.mjs';
import { formatTime, parseServerTimestamp, utcToWall, viewerZone, wallToUtc, zoneLabel } from './time_zone.mjs';
import { decodeSearch, encodeSearch } from './url_state.mjs';

// Settings kept in localStorage (per browser) and their defaults.
const PREF = { lang: 'loglake.lang', zone: 'loglake.zoneMode', columns: 'loglake.columns', threshold: 'loglake.thresholdGb' };
const DEFAULT_THRESHOLD_GB = 10;
const DEFAULT_COLUMNS = ['time', 'tenant_id', 'user_id', 'method', 'status', 'path', 'duration_ms', 'remote_ip', 'request_id'];
const DEFAULT_RANGE_MINUTES = 24 * 60;
const TEXT_FIELDS = ['tenant_id', 'user_id', 'uuid', 'request_id', 'method', 'status', 'path', 'path_mode', 'user_agent'];
const NUMERIC = new Set(['status', 'duration_ms', 'bytes_sent']);
const CLIP_CHARS = 40;  // longer cells are cut with an ellipsis (the whole value in the tooltip)

const $ = (id) => document.getElementById(id);
const storage = {
  get(key) { try { return localStorage.getItem(key); } catch { return null; } },
  set(key, value) { try { localStorage.setItem(key, value); } catch { /* private mode: not remembered */ } },
};
function sessionStore() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

// The API beside the page: '' at '/', '/logs' when a proxy serves the page at '/logs/'.
const api = new QueryApi({ base: new URL('.', location.href).pathname.replace(/\/$/, ''), storage: sessionStore() });
const state = {
  lang: pickLanguage(storage.get(PREF.lang), navigator.languages ?? [navigator.language]),
  zoneMode: storage.get(PREF.zone) === 'utc' ? 'utc' : 'local',
  columns: readColumns(),
  thresholdGb: readThreshold(),
  result: null,        // { columns, rows } of the last search
  histogram: null,     // { bins, unit } of the last search
  run: null,           // { controller, ids, started } while a search runs
  pending: null,       // filters waiting for a token or for "search anyway"
  lastStats: null,     // GET /v1/queries/{id} of the records query
  histStatus: null,    // ... and of the histogram query
};

function t(key, vars) {
  return translate(state.lang, key, vars);
}
function zone() {
  return state.zoneMode === 'utc' ? 'UTC' : viewerZone();
}

function readColumns() {
  try {
    const saved = JSON.parse(storage.get(PREF.columns) ?? 'null');
    if (Array.isArray(saved)) {
      const known = saved.filter((c) => COLUMNS.includes(c));
      if (known.length > 0) return new Set(known);
    }
  } catch {
    // Unreadable setting: fall back to the default.
  }
  return new Set(DEFAULT_COLUMNS);
}
function readThreshold() {
  const v = Number(storage.get(PREF.threshold));
  return storage.get(PREF.threshold) !== null && Number.isFinite(v) && v >= 0 ? v : DEFAULT_THRESHOLD_GB;
}

// ---- filters <-> form ------------------------------------------------------------------------

function readFilters() {
  const f = emptyFilters();
  for (const name of TEXT_FIELDS) f[name] = $(`f-${name}`).value;
  for (const end of ['from', 'to']) {
    const text = $(`f-${end}`).value;
    if (text === '') {
      f[end] = null;
      continue;
    }
    const ms = wallToUtc(text, zone());
    if (!Number.isFinite(ms)) throw new FilterError('error_time_invalid');
    f[end] = ms;
  }
  return f;
}

function writeFilters(f) {
  for (const name of TEXT_FIELDS) $(`f-${name}`).value = f[name] ?? '';
  // The select has the methods in capitals; a link may carry "get".
  $('f-method').value = String(f.method ?? '').toUpperCase();
  if (!$('f-path_mode').value) $('f-path_mode').value = 'prefix';
  $('f-from').value = Number.isFinite(f.from) ? utcToWall(f.from, zone()) : '';
  $('f-to').value = Number.isFinite(f.to) ? utcToWall(f.to, zone()) : '';
}

function setQuickRange(minutes) {
  // Whole minutes: the inputs show minutes, so the range they show is the range searched.
  const to = Math.ceil(Date.now() / 60_000) * 60_000;
  $('f-from').value = utcToWall(to - minutes * 60_000, zone());
  $('f-to').value = utcToWall(to, zone());
}

// ---- notices ---------------------------------------------------------------------------------

function showNotice(text, { kind = 'error', detail = '', actions = false } = {}) {
  const box = $('notice');
  box.className = `notice ${kind}`;
  $('notice-text').textContent = text;
  $('notice-detail').hidden = !detail;
  $('notice-detail-text').textContent = detail;
  $('notice-actions').hidden = !actions;
  box.hidden = false;
}
function hideNotice() {
  $('notice').hidden = true;
}
function showError(err) {
  if (err instanceof FilterError) {
    showNotice(t(err.key, err.vars));
    return;
  }
  const d = describeError(err);
  showNotice(t(d.key, d.vars), { kind: d.key === 'err_cancelled' ? 'info' : 'error', detail: d.detail });
}

// ---- progress --------------------------------------------------------------------------------

let elapsedTimer = null;
function showProgress(key) {
  $('progress').hidden = false;
  $('results-wrap').classList.add('stale');
  $('progress-text').textContent = t(key);
  if (!elapsedTimer) {
    elapsedTimer = setInterval(() => {
      if (state.run) $('progress-elapsed').textContent = formatSeconds((performance.now() - state.run.started) / 1000);
    }, 100);
  }
}
function hideProgress() {
  $('progress').hidden = true;
  $('results-wrap').classList.remove('stale');
  $('progress-elapsed').textContent = '';
  clearInterval(elapsedTimer);
  elapsedTimer = null;
}

// ---- searching -------------------------------------------------------------------------------

function cancelRun() {
  const run = state.run;
  if (!run) return;
  state.run = null;
  run.controller.abort();
  for (const id of run.ids) api.cancel(id);
  hideProgress();
}

function isAbort(err) {
  return err?.name === 'AbortError';
}

/** Runs a search for `filters`; `confirmed` skips the estimate check (after "search anyway"). */
async function search(filters, { confirmed = false, pushUrl = true } = {}) {
  cancelRun();
  hideNotice();
  let main;
  let hist;
  try {
    main = buildSearchQuery(filters);
    hist = buildHistogramQuery(filters);
  } catch (err) {
    showError(err);
    return;
  }
  const fragment = encodeSearch(filters);
  if (pushUrl && location.hash.slice(1) !== fragment) history.pushState(null, '', `#${fragment}`);

  const run = { controller: new AbortController(), ids: [], started: performance.now() };
  state.run = run;
  const { signal } = run.controller;
  try {
    if (!confirmed && state.thresholdGb > 0) {
      showProgress('state_estimating');
      const estimate = await estimateOrNull(main, signal);
      if (state.run !== run) return;
      if (estimate && estimate.bytes > state.thresholdGb * 1e9) {
        state.run = null;
        hideProgress();
        state.pending = filters;
        showNotice(t('estimate_warning', {
          bytes: formatBytes(estimate.bytes), files: formatCount(estimate.files ?? 0, state.lang),
          days: formatCount(estimate.days ?? 0, state.lang), limit: formatBytes(state.thresholdGb * 1e9),
        }), { kind: 'warning', actions: true });
        return;
      }
    }
    showProgress('state_QUEUED');
    const onId = (id) => run.ids.push(id);
    const histogramDone = api.run(hist.sql, hist.params, { signal, onId }).then(
      (r) => ({ ok: true, r }), (err) => ({ ok: false, err }));
    const r = await api.run(main.sql, main.params, {
      signal, onId, maxRows: MAX_ROWS,
      onState: (s) => { if (state.run === run) showProgress(s.state === 'SUCCEEDED' ? 'state_fetching' : `state_${s.state}`); },
    });
    if (state.run !== run) return;
    showResults(r, filters);
    const h = await histogramDone;
    if (state.run !== run) return;
    showHistogram(h, hist, filters);
  } catch (err) {
    if (state.run !== run || isAbort(err)) return;
    // The other query of the pair is of no use any more.
    run.controller.abort();
    for (const id of run.ids) api.cancel(id);
    if (err instanceof ApiError && err.status === 401) {
      askForToken(filters);
      return;
    }
    showError(err);
  } finally {
    if (state.run === run) {
      state.run = null;
      hideProgress();
    }
  }
}

async function estimateOrNull(main, signal) {
  try {
    return await api.estimate(main.sql, main.params, signal);
  } catch (err) {
    // 401 asks for a token; any other problem shows when the search itself runs.
    if (err instanceof ApiError && err.status === 401) throw err;
    if (isAbort(err)) throw err;
    return null;
  }
}

function askForToken(filters) {
  const hadToken = Boolean(api.token);
  api.token = '';
  state.pending = filters;
  $('token-form').hidden = false;
  if (hadToken) showNotice(t('err_token'));
  $('token-input').focus();
}

// ---- results ---------------------------------------------------------------------------------

function showResults(r, filters) {
  state.result = { columns: r.columns, rows: r.rows, filters };
  state.lastStats = r.status;
  state.histStatus = null;
  state.histogram = null;
  renderTable();
  renderSummary();
  $('download-csv').disabled = r.rows.length === 0;
  $('download-ndjson').disabled = r.rows.length === 0;
}

function renderSummary(histStatus) {
  const box = $('summary');
  box.replaceChildren();
  const res = state.result;
  if (!res) {
    const hint = document.createElement('span');
    hint.textContent = t('idle_hint');
    box.append(hint);
    return;
  }
  const main = document.createElement('span');
  main.className = 'count';
  const n = res.rows.length;
  // The histogram counts every match: once it is in, say how many the 1,000 rows are of.
  const total = state.histogram && state.histogram.filters === res.filters ? state.histogram.total : null;
  const rows = formatCount(n, state.lang);
  if (n === 0) main.textContent = t('summary_none');
  else if (n < MAX_ROWS) main.textContent = t('summary_rows', { rows });
  else if (total !== null && total > n) main.textContent = t('summary_of_total', { rows, total: formatCount(total, state.lang) });
  else main.textContent = t('summary_more', { rows });
  box.append(main);
  const stats = state.lastStats?.stats ?? {};
  const histBytes = (histStatus ?? state.histStatus)?.stats?.bytes_scanned ?? 0;
  const bytes = document.createElement('span');
  bytes.className = 'scanned';
  bytes.textContent = t('scanned', { bytes: formatBytes((stats.bytes_scanned ?? 0) + histBytes) });
  box.append(bytes);
  if (Number.isFinite(state.lastStats?.elapsed_seconds)) {
    const took = document.createElement('span');
    took.className = 'muted';
    took.textContent = t('took', { seconds: formatSeconds(state.lastStats.elapsed_seconds) });
    box.append(took);
  }
}

function visibleColumns() {
  const cols = state.result?.columns ?? COLUMNS.map((name) => ({ name, type: '' }));
  return cols.map((c, i) => ({ ...c, index: i })).filter((c) => state.columns.has(c.name));
}

function cellText(value, column) {
  if (value === null || value === undefined) return null;
  if (column.type === 'timestamp') {
    const ts = parseServerTimestamp(value);
    return ts ? formatTime(ts.ms, zone(), ts.fraction.slice(0, 3)) : String(value);
  }
  return String(value);
}

function renderTable() {
  const head = $('results-head');
  const body = $('results-body');
  const cols = visibleColumns();
  head.replaceChildren(...cols.map((c) => {
    const th = document.createElement('th');
    th.textContent = c.name;
    if (c.type === 'timestamp') {
      const z = document.createElement('span');
      z.className = 'th-zone';
      z.textContent = zone() === 'UTC' ? 'UTC' : zoneLabel(zone()).replace(/^.*\((.*)\)$/, '$1');
      th.append(' ', z);
    }
    if (NUMERIC.has(c.name)) th.className = 'num';
    return th;
  }));
  const frag = document.createDocumentFragment();
  (state.result?.rows ?? []).forEach((row, r) => {
    const tr = document.createElement('tr');
    tr.tabIndex = 0;
    tr.dataset.row = String(r);
    for (const c of cols) {
      const td = document.createElement('td');
      const text = cellText(row[c.index], c);
      if (text === null) {
        td.className = 'null';
        td.textContent = '—';
      } else if (text.length > CLIP_CHARS) {
        // Table cells ignore max-width in auto layout: an inline block clips long text.
        const clip = document.createElement('span');
        clip.className = 'clip';
        clip.textContent = text;
        td.title = text;
        td.append(clip);
      } else {
        td.textContent = text;
      }
      if (NUMERIC.has(c.name)) td.classList.add('num');
      if (c.name === 'status' && text) td.classList.add(`s${text[0]}xx`);
      if (c.type === 'timestamp') td.classList.add('time');
      tr.append(td);
    }
    frag.append(tr);
  });
  body.replaceChildren(frag);
}

function openRecord(index) {
  const res = state.result;
  const row = res?.rows[index];
  if (!row) return;
  const record = recordObject(res.columns, row);
  $('record-json').textContent = JSON.stringify(record, null, 2);
  const timeIndex = res.columns.findIndex((c) => c.type === 'timestamp');
  const ts = timeIndex >= 0 ? parseServerTimestamp(row[timeIndex]) : null;
  $('record-dialog').querySelector('h2').textContent = ts
    ? `${t('record_title')} · ${formatTime(ts.ms, zone(), ts.fraction)} (${zone()})` : t('record_title');
  $('record-copy').textContent = t('copy');
  const dialog = $('record-dialog');
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
}

function closeRecord() {
  const dialog = $('record-dialog');
  if (typeof dialog.close === 'function') dialog.close();
  else dialog.removeAttribute('open');
}

// ---- histogram -------------------------------------------------------------------------------

function showHistogram(h, hist, filters) {
  const section = $('histogram');
  section.hidden = false;
  if (!h.ok) {
    state.histogram = null;
    state.histStatus = null;
    const d = describeError(h.err);
    $('histogram-info').textContent = '';
    $('histogram-body').textContent = t('histogram_failed', { reason: t(d.key, d.vars) });
    return;
  }
  state.histStatus = h.r.status;
  state.histogram = { rows: h.r.rows, unit: hist.unit, from: filters.from, to: filters.to, filters, total: null };
  drawHistogram();
  renderSummary(h.r.status);
}

function drawHistogram() {
  const hg = state.histogram;
  if (!hg) return;
  const z = zone();
  const bins = buildBins(hg.rows, { from: hg.from, to: hg.to, unit: hg.unit, zone: z });
  const total = bins.reduce((s, b) => s + b.count, 0);
  hg.total = total;
  $('histogram-info').textContent =
    `${t('histogram_total', { count: formatCount(total, state.lang) })} · ${t(`histogram_unit_${hg.unit}`)}`;
  renderHistogram($('histogram-body'), bins, {
    unit: hg.unit, zone: z,
    title: (b) => t('histogram_bar', { time: binLabel(b, hg.unit, z), count: formatCount(b.count, state.lang) }),
    onPick: (b) => {
      // Zoom into the bar: its time span becomes the range, the other filters stay.
      const f = state.result?.filters ?? readFilters();
      const next = { ...f, from: Math.max(b.start, hg.from), to: Math.min(b.end, hg.to) };
      writeFilters(next);
      search(next);
    },
  });
}

// ---- columns, downloads, language, zone ------------------------------------------------------

function renderColumnChooser() {
  const list = $('columns-list');
  list.replaceChildren(...COLUMNS.map((name) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = state.columns.has(name);
    box.addEventListener('change', () => {
      if (box.checked) state.columns.add(name);
      else if (state.columns.size > 1) state.columns.delete(name);
      else box.checked = true;  // keep at least one column
      storage.set(PREF.columns, JSON.stringify(COLUMNS.filter((c) => state.columns.has(c))));
      renderTable();
    });
    label.append(box, ` ${name}`);
    return label;
  }));
}

function download(kind) {
  const res = state.result;
  if (!res || res.rows.length === 0) {
    showNotice(t('download_none'), { kind: 'info' });
    return;
  }
  const text = kind === 'csv' ? toCsv(res.columns, res.rows) : toNdjson(res.columns, res.rows);
  const type = kind === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson;charset=utf-8';
  const stamp = new Date(res.filters.from).toISOString().slice(0, 16).replace(/[:T]/g, '');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = `loglake-${stamp}-${res.rows.length}.${kind}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  $('language').value = state.lang;
  applyTranslations(document, state.lang);
  document.title = t('page_title');
  $('zone-local-option').textContent = t('zone_local', { zone: zoneLabel(viewerZone()) });
  $('zone-note').textContent = t('times_in', { zone: zoneLabel(zone()) });
  renderSummary();
  drawHistogram();
}

function switchZone(mode) {
  // The inputs keep meaning the same instants: read them in the old zone, write in the new.
  let filters = null;
  try {
    filters = readFilters();
  } catch {
    filters = null;
  }
  state.zoneMode = mode;
  storage.set(PREF.zone, mode);
  if (filters) writeFilters(filters);
  $('zone-note').textContent = t('times_in', { zone: zoneLabel(zone()) });
  renderTable();
  drawHistogram();
}

// ---- start -----------------------------------------------------------------------------------

function runFromUrl() {
  const { filters, complete } = decodeSearch(location.hash);
  if (complete) {
    writeFilters(filters);
    search(filters, { pushUrl: false });
    return true;
  }
  return false;
}

function start() {
  $('zone-mode').value = state.zoneMode;
  $('threshold').value = String(state.thresholdGb);
  applyLanguage();
  renderColumnChooser();
  renderTable();
  if (!runFromUrl()) setQuickRange(DEFAULT_RANGE_MINUTES);

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    try {
      search(readFilters());
    } catch (err) {
      showError(err);
    }
  });
  $('clear-button').addEventListener('click', () => {
    writeFilters(emptyFilters());
    setQuickRange(DEFAULT_RANGE_MINUTES);
    hideNotice();
  });
  for (const chip of document.querySelectorAll('[data-quick]')) {
    chip.addEventListener('click', () => {
      setQuickRange(Number(chip.dataset.quick));
      $('search-form').requestSubmit();
    });
  }
  $('cancel-button').addEventListener('click', () => {
    cancelRun();
    showNotice(t('err_cancelled'), { kind: 'info' });
  });
  $('run-anyway').addEventListener('click', () => {
    const f = state.pending;
    state.pending = null;
    if (f) search(f, { confirmed: true, pushUrl: false });
  });
  $('dismiss-warning').addEventListener('click', () => {
    state.pending = null;
    hideNotice();
  });
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('token-input').value.trim();
    if (!value) return;
    api.token = value;
    $('token-input').value = '';
    $('token-form').hidden = true;
    hideNotice();
    const f = state.pending;
    state.pending = null;
    if (f) search(f, { pushUrl: false });
  });
  $('results-body').addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-row]');
    if (tr) openRecord(Number(tr.dataset.row));
  });
  $('results-body').addEventListener('keydown', (e) => {
    const tr = e.target.closest('tr[data-row]');
    if (tr && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      openRecord(Number(tr.dataset.row));
    }
  });
  $('record-close').addEventListener('click', closeRecord);
  // A click on the backdrop lands on the dialog element itself.
  $('record-dialog').addEventListener('click', (e) => {
    if (e.target === $('record-dialog')) closeRecord();
  });
  document.addEventListener('click', (e) => {
    const menu = $('columns-menu');
    if (menu.open && !menu.contains(e.target)) menu.open = false;
  });
  $('record-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('record-json').textContent);
      $('record-copy').textContent = t('copied');
    } catch {
      // No clipboard (plain http on another host): select the text so Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents($('record-json'));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    }
  });
  $('download-csv').addEventListener('click', () => download('csv'));
  $('download-ndjson').addEventListener('click', () => download('ndjson'));
  $('language').addEventListener('change', () => {
    state.lang = $('language').value === 'ja' ? 'ja' : 'en';
    storage.set(PREF.lang, state.lang);
    applyLanguage();
  });
  $('zone-mode').addEventListener('change', () => switchZone($('zone-mode').value === 'utc' ? 'utc' : 'local'));
  $('settings-button').addEventListener('click', () => {
    const panel = $('settings');
    panel.hidden = !panel.hidden;
    $('settings-button').setAttribute('aria-expanded', String(!panel.hidden));
  });
  $('settings-done').addEventListener('click', () => {
    $('settings').hidden = true;
    $('settings-button').setAttribute('aria-expanded', 'false');
  });
  $('threshold').addEventListener('change', () => {
    const v = Number($('threshold').value);
    if (Number.isFinite(v) && v >= 0) {
      state.thresholdGb = v;
      storage.set(PREF.threshold, String(v));
    } else {
      $('threshold').value = String(state.thresholdGb);
    }
  });
  window.addEventListener('popstate', () => {
    if (!runFromUrl()) cancelRun();
  });
}

start();
