// DuckDB as the oracle of the query tests: a lake's Parquet files as DuckDB tables shaped like
// loglake's access_log, and query results in the typed form of values.mjs.
import path from 'node:path';

import { DuckDBTimestampValue } from '@duckdb/node-api';

import { openDuckDB, sqlString } from '../duckdb.mjs';
import { formatDays, formatMicros } from './values.mjs';

export const ACCESS_LOG_COLUMNS = ['uuid', 'time', 'tenant_id', 'user_id', 'method', 'path', 'query', 'status',
  'duration_ms', 'bytes_sent', 'remote_ip', 'user_agent', 'request_id', 'extra'];
// What SELECT * returns in loglake: the table's columns, then the partition column.
export const STAR_COLUMNS = [...ACCESS_LOG_COLUMNS, 'datepath'];

/**
 * Opens DuckDB with table `raw`: every row of <lake>/access_log/yyyy/MM/dd/*.parquet read with
 * read_parquet(filename=true, file_row_number=true), `time` as a plain TIMESTAMP in UTC (Trino's
 * timestamp), and `datepath` = strftime(time, '%Y/%m/%d'), in loglake's SELECT * column order
 * followed by filename and file_row_number.
 */
export async function openLakeInDuckDB(lake) {
  const db = await openDuckDB();
  await db.all(`SET TimeZone = 'UTC'`);
  const glob = path.join(lake, 'access_log', '*', '*', '*', '*.parquet');
  const cols = ACCESS_LOG_COLUMNS.map((c) => (c === 'time' ? 'time::TIMESTAMP AS time' : `"${c}"`));
  await db.all(`CREATE TABLE raw AS
    SELECT ${cols.join(', ')}, strftime(time::TIMESTAMP, '%Y/%m/%d') AS datepath, filename, file_row_number
      FROM read_parquet(${sqlString(glob)}, filename = true, file_row_number = true)`);
  return db;
}

const TYPE_NAMES = {
  BIGINT: 'bigint', HUGEINT: 'bigint', INTEGER: 'integer', DOUBLE: 'double', VARCHAR: 'varchar',
  TIMESTAMP: 'timestamp', BOOLEAN: 'boolean', DATE: 'date',
};

function typedCell(v, type) {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'bigint':
    case 'integer': return BigInt(v);
    case 'timestamp': return formatMicros(v.micros);
    case 'date': return formatDays(v.days);
    default: return v;
  }
}

/** Runs `sql` (with `bind`, a function that binds a prepared statement, if given); typed result. */
export async function duckQuery(db, sql, bind) {
  let reader;
  if (bind) {
    const prepared = await db.connection.prepare(sql);
    bind(prepared);
    reader = await prepared.runAndReadAll();
  } else {
    reader = await db.connection.runAndReadAll(sql);
  }
  const names = reader.columnNames();
  const columns = reader.columnTypes().map((t, i) => {
    const type = TYPE_NAMES[t.toString()];
    if (!type) throw new Error(`DuckDB column ${names[i]} has type ${t} which the tests do not map; cast it`);
    return { name: names[i], type };
  });
  const rows = reader.getRows().map((row) => row.map((v, i) => typedCell(v, columns[i].type)));
  return { columns, rows };
}

export { DuckDBTimestampValue };
