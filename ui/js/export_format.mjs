// Downloads of the shown results, built on the page: CSV (RFC 4180) and NDJSON. Pure module,
// tested by tests/interop/search_ui_modules.test.mjs.
//
// Timestamps are written as ISO-8601 UTC ("2024-05-01T12:34:56.123456Z") whatever zone the page
// shows, so a file means the same instants for everyone who opens it.

import { serverTimestampToIso } from './time_zone.mjs';

// A spreadsheet runs a cell that starts with one of these as a formula; access logs carry text
// chosen by strangers (paths, user agents), so such string cells get a leading apostrophe (a
// lone "-", the usual empty user agent, is no formula and stays as it is).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: quoted when it holds a quote, comma or line break (quotes doubled); NULL is an
 * empty field and the empty string a quoted one (""), as `loglake query --format csv` writes them.
 */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  const s = String(value);
  if (s === '') return '""';
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function cellText(value, type) {
  if (value === null || value === undefined) return null;
  if (type === 'timestamp') return serverTimestampToIso(value);
  if (typeof value === 'string' && (type === 'varchar' || type === 'string') && FORMULA_START.test(value) && value !== '-') {
    return `'${value}`;
  }
  return value;
}

/** CSV text: a header line of column names, then one line per row; CRLF line ends. */
export function toCsv(columns, rows) {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) {
    lines.push(row.map((v, i) => csvField(cellText(v, columns[i].type))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One record as a JS object: column name → value, timestamps as ISO UTC, and the `extra` column
 * (unknown JSON keys kept as a JSON object string) parsed back into an object when it parses.
 */
export function recordObject(columns, row) {
  const out = {};
  columns.forEach((c, i) => {
    let v = row[i];
    if (c.type === 'timestamp' && v !== null) v = serverTimestampToIso(v);
    if (c.name === 'extra' && typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        // Not JSON after all: keep the text as stored.
      }
    }
    out[c.name] = v;
  });
  return out;
}

/** NDJSON text: one JSON object per row (recordObject), each line ending in '\n'. */
export function toNdjson(columns, rows) {
  return rows.map((row) => `${JSON.stringify(recordObject(columns, row))}\n`).join('');
}
