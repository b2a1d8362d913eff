// Typed result cells shared by both sides of the differential tests, and the comparison of two
// results.
//
// A result is { columns: [{ name, type }], rows: [[cell, ...], ...] } where type is a Trino type
// name (varchar, integer, bigint, double, boolean, timestamp, date) and a cell is null, a string
// (varchar, timestamp as "2024-05-01 12:34:56.123456", date as "2024-05-01"), a BigInt
// (integer, bigint), a number (double; NaN/±Infinity included) or a boolean.
//
// Comparison is exact: same column count, same types, same cells (doubles with ===, so both
// sides must print the same shortest round-trip value), in the same order when the query has a
// total ORDER BY, as multisets otherwise. The one tolerance: double columns computed by avg() or
// sum() (summation order differs between engines and with parallelism) compare with a relative
// error of 1e-9.

const pad = (n, w) => String(n).padStart(w, '0');

/** Trino's timestamp(6) text of microseconds since the epoch (bigint). */
export function formatMicros(micros) {
  const us = BigInt(micros);
  const day = 86_400_000_000n;
  let days = us / day;
  let rest = us % day;
  if (rest < 0n) {
    rest += day;
    days -= 1n;
  }
  const date = new Date(Number(days) * 86_400_000);
  const secs = rest / 1_000_000n;
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ` +
    `${pad(secs / 3600n, 2)}:${pad((secs / 60n) % 60n, 2)}:${pad(secs % 60n, 2)}.${pad(rest % 1_000_000n, 6)}`;
}

/** "YYYY-MM-DD" of days since the epoch. */
export function formatDays(days) {
  const date = new Date(Number(days) * 86_400_000);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** A cell as a string that identifies it exactly (for sorting and messages). */
export function cellKey(cell) {
  if (cell === null) return 'NULL';
  if (typeof cell === 'bigint') return `${cell}n`;
  if (typeof cell === 'number') return Object.is(cell, -0) ? '-0' : String(cell);
  if (typeof cell === 'string') return JSON.stringify(cell);
  return String(cell);
}

const rowKey = (row, cols) => cols.map((c) => cellKey(row[c])).join('\x1f');

function cellsEqual(a, b, approx) {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (Object.is(a, b)) return true;
    if (!approx) return false;
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300) || Math.abs(a - b) < 1e-12;
  }
  return a === b;
}

/**
 * Compares `ours` with `expected`. Returns null when they agree, otherwise a message saying how
 * they differ. `ordered`: row order must match. `approx`: column indexes compared with the
 * avg/sum tolerance (only when they are double columns).
 */
export function compareResults(ours, expected, { ordered, approx = [] } = {}) {
  if (ours.columns.length !== expected.columns.length) {
    return `column count: ours ${ours.columns.length} (${ours.columns.map((c) => c.name)}), ` +
      `expected ${expected.columns.length} (${expected.columns.map((c) => c.name)})`;
  }
  for (let c = 0; c < ours.columns.length; c++) {
    if (ours.columns[c].type !== expected.columns[c].type) {
      return `column ${c} (${ours.columns[c].name}) type: ours ${ours.columns[c].type}, expected ${expected.columns[c].type}`;
    }
  }
  const approxCols = new Set(approx.filter((c) => ours.columns[c]?.type === 'double'));
  const exactCols = ours.columns.map((_, c) => c).filter((c) => !approxCols.has(c));
  let a = ours.rows;
  let b = expected.rows;
  if (a.length !== b.length) {
    return `row count: ours ${a.length}, expected ${b.length}` + firstMissing(a, b, exactCols);
  }
  if (!ordered) {
    const sortRows = (rows) => rows.map((r) => [rowKey(r, exactCols), r]).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map((x) => x[1]);
    a = sortRows(a);
    b = sortRows(b);
  }
  for (let r = 0; r < a.length; r++) {
    for (let c = 0; c < ours.columns.length; c++) {
      if (!cellsEqual(a[r][c], b[r][c], approxCols.has(c))) {
        return `${ordered ? 'row' : 'sorted row'} ${r}, column ${c} (${ours.columns[c].name}): ours ${cellKey(a[r][c])}, ` +
          `expected ${cellKey(b[r][c])}\n  ours:     ${a[r].map(cellKey).join(' | ')}\n  expected: ${b[r].map(cellKey).join(' | ')}`;
      }
    }
  }
  return null;
}

function firstMissing(a, b, cols) {
  const count = new Map();
  for (const r of b) count.set(rowKey(r, cols), (count.get(rowKey(r, cols)) ?? 0) + 1);
  for (const r of a) {
    const k = rowKey(r, cols);
    const n = count.get(k);
    if (!n) return `\n  e.g. ours has ${r.map(cellKey).join(' | ')} (not expected)`;
    count.set(k, n - 1);
  }
  for (const [k, n] of count) if (n > 0) return `\n  e.g. expected ${k.split('\x1f').join(' | ')} (missing from ours)`;
  return '';
}
