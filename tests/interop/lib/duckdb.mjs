// DuckDB (@duckdb/node-api), the independent reader the interop tests judge our files with.
import { DuckDBInstance } from '@duckdb/node-api';

/** SQL string literal for `s`. */
export function sqlString(s) {
  return `'${String(s).replaceAll("'", "''")}'`;
}

/** A list literal of file names for read_parquet([...]). */
export function sqlFileList(files) {
  return `[${files.map(sqlString).join(', ')}]`;
}

/**
 * An in-memory DuckDB with one connection. `all(sql)` returns row objects with JS values
 * (BIGINT as bigint, DOUBLE/INTEGER as number, VARCHAR as string, NULL as null).
 */
export async function openDuckDB() {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    connection,
    async all(sql, values) {
      const reader = values ? await connection.runAndReadAll(sql, values) : await connection.runAndReadAll(sql);
      // getRowsJS + our own objects: several times faster than getRowObjectsJS on big results.
      const names = reader.columnNames();
      return reader.getRowsJS().map((values_) => {
        const row = {};
        for (let i = 0; i < names.length; i++) row[names[i]] = values_[i];
        return row;
      });
    },
    close() {
      connection.closeSync();
      instance.closeSync?.();
    },
  };
}

/**
 * Every row of `files`, with timestamp columns (`timestampColumns`) as bigint microseconds since
 * the epoch (epoch_us), in file order then row order.
 */
export async function readRows(db, files, columns, timestampColumns = []) {
  const select = columns
    .map((c) => (timestampColumns.includes(c) ? `epoch_us("${c}") AS "${c}"` : `"${c}"`))
    .join(', ');
  return db.all(`SELECT ${select} FROM read_parquet(${sqlFileList(files)})`);
}
