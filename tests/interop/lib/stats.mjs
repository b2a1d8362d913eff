// Column statistics computed from the values themselves, to judge the ones in a file's footer.
import assert from 'node:assert/strict';

import { hyparquetMetadata, hyparquetRows } from './hyparquet.mjs';

/**
 * min/max of the non-null values and the null count. Strings are ordered by their UTF-8 bytes
 * (Parquet's order for STRING), numbers and bigints numerically.
 */
export function columnStats(values) {
  let min;
  let max;
  let nulls = 0;
  const less = (a, b) => (typeof a === 'string' ? Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0 : a < b);
  for (const v of values) {
    if (v === null || v === undefined) {
      nulls++;
      continue;
    }
    if (min === undefined || less(v, min)) min = v;
    if (max === undefined || less(max, v)) max = v;
  }
  return { min, max, nulls };
}

/**
 * Checks a statistic against the true value: equal when the writer says it is exact (for doubles
 * -0 and +0 count as equal, as the Parquet spec lets writers use either for a zero); otherwise
 * (long strings may be shortened) a lower bound for a min and an upper bound for a max.
 */
export function assertBound(stat, exact, truth, kind, where) {
  if (typeof truth === 'number') {
    assert.ok(stat === truth, `${where}: ${kind} ${stat}, expected ${truth}`);
    return;
  }
  if (exact !== false) {
    assert.deepEqual(stat, truth, `${where}: ${kind}`);
    return;
  }
  const cmp = Buffer.compare(Buffer.from(stat), Buffer.from(truth));
  assert.ok(kind === 'min' ? cmp <= 0 : cmp >= 0,
    `${where}: inexact ${kind} ${JSON.stringify(stat)} does not bound ${JSON.stringify(truth)}`);
}

/** The rows of each row group of `file` (consecutive runs of its rows), read by hyparquet. */
export async function rowGroupsOf(file, metadata) {
  const rows = await hyparquetRows(file);
  const groups = [];
  let start = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    groups.push(rows.slice(start, start + n));
    start += n;
  }
  assert.equal(start, rows.length, `${file}: row groups add up to the rows`);
  return groups;
}

/** Compares every column chunk's footer statistics (as hyparquet decodes them) with the data. */
export async function assertFooterStatistics(file) {
  const { metadata } = hyparquetMetadata(file);
  const groups = await rowGroupsOf(file, metadata);
  for (const [g, rg] of metadata.row_groups.entries()) {
    for (const chunk of rg.columns) {
      const column = chunk.meta_data.path_in_schema[0];
      const want = columnStats(groups[g].map((r) => r[column]));
      const stats = chunk.meta_data.statistics;
      const where = `${file}: row group ${g}, column ${column}`;
      assert.equal(Number(stats.null_count), want.nulls, `${where}: null_count`);
      if (want.min === undefined) continue;  // all null: no min/max to check
      assertBound(stats.min_value, stats.is_min_value_exact, want.min, 'min', where);
      assertBound(stats.max_value, stats.is_max_value_exact, want.max, 'max', where);
    }
  }
  return { metadata, groups };
}
