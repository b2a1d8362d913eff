// Typed `?` parameters on both sides: the --param text loglake parses, and the same value bound
// to a DuckDB prepared statement.
import { DuckDBTimestampValue } from '@duckdb/node-api';

/**
 * A parameter: { text: what is passed as --param, type, value } where type is one of varchar,
 * integer, bigint, double, boolean, timestamp (value: µs since the epoch, bigint), null.
 */
// A string value; `string:` is added only when loglake would otherwise read the text as another
// type (a number, true/false, null, a date and time, or a type: prefix), so most values are
// passed untyped as users type them.
const NOT_PLAIN_STRING = [/^-?\d+$/, /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, /^(true|false|null)$/i,
  /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d/, /^[A-Za-z]+:/];
export const str = (value) => ({
  text: NOT_PLAIN_STRING.some((re) => re.test(value)) ? `string:${value}` : value, type: 'varchar', value,
});
export const typed = (text, type, value) => ({ text, type, value });

/** Binds `params` to a DuckDB prepared statement as $1, $2, ... */
export function bindAll(params) {
  return (prepared) => {
    params.forEach((p, i) => {
      const k = i + 1;
      switch (p.type) {
        case 'varchar': prepared.bindVarchar(k, p.value); break;
        case 'integer': prepared.bindInteger(k, p.value); break;
        case 'bigint': prepared.bindBigInt(k, BigInt(p.value)); break;
        case 'double': prepared.bindDouble(k, p.value); break;
        case 'boolean': prepared.bindBoolean(k, p.value); break;
        case 'timestamp': prepared.bindTimestamp(k, new DuckDBTimestampValue(BigInt(p.value))); break;
        case 'null': prepared.bindNull(k); break;
        default: throw new Error(`unknown parameter type ${p.type}`);
      }
    });
  };
}
