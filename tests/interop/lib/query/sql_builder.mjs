// One query, written once, as the Trino SQL loglake runs and the DuckDB SQL that must give the
// same answer.
//
// An expression is a string (the same text in both dialects) or a pair P(trino, duckdb). A query
// is { select: [expr | { e: expr, as, name }], from, where, groupBy: [expr], having,
// orderBy: [{ e: expr, desc, nulls: 'FIRST'|'LAST' }], offset, limit, distinct, ordered }.
//
// The DuckDB side reads table `raw` (duck.mjs) through a CTE that applies the WHERE and then,
// unless noDedup, keeps the first row of each (datepath, uuid) in (filename, file_row_number)
// order — loglake's deduplication, which happens after the filter and per day. ORDER BY keys get
// an explicit NULLS LAST when none is given (Trino's default for ASC and DESC alike). `?`
// parameters are numbered ($1, $2, ...) on the DuckDB side in the order they appear in the
// Trino text, because the CTE moves the WHERE before the SELECT list.
import { STAR_COLUMNS } from './duck.mjs';

export const P = (t, d) => ({ t, d: d ?? t });
export const T = (x) => (typeof x === 'string' ? x : x.t);
export const D = (x) => (typeof x === 'string' ? x : x.d);

/** Combines expressions: J(['a', P(..)], ' AND ') keeps both dialects in step. */
export function J(parts, sep) {
  return P(parts.map(T).join(sep), parts.map(D).join(sep));
}
/** Wraps: W('lower(', x, ')'). Strings in `parts` are the same in both dialects. */
export function W(...parts) {
  return P(parts.map(T).join(''), parts.map(D).join(''));
}

const DEDUP = 'QUALIFY row_number() OVER (PARTITION BY datepath, uuid ORDER BY filename, file_row_number) = 1';

// Trino's name of an output column: the alias, the column's name for a bare column reference,
// `_col<position>` for anything else.
function outputName(expr, index) {
  const t = T(expr).trim();
  const m = /^"?([A-Za-z_][A-Za-z0-9_]*)"?$/.exec(t);
  if (!m || (!t.startsWith('"') && /^(true|false|null)$/i.test(m[1]))) return `_col${index}`;
  return m[1].toLowerCase();
}

/**
 * { trino, duckdb, names, ordered, approx, paramCount } for query `q`; `noDedup` builds the
 * DuckDB text for --no-dedup.
 */
export function buildQuery(q, { noDedup = false } = {}) {
  const items = q.select.map((s) => (typeof s === 'object' && 'e' in s ? s : { e: s }));
  const names = [];
  const approx = [];
  const tSel = [];
  const dSel = [];
  for (const item of items) {
    if (T(item.e) === '*') {
      tSel.push('*');
      dSel.push('* EXCLUDE (filename, file_row_number)');
      names.push(...STAR_COLUMNS);
      continue;
    }
    if (/\b(avg|sum)\s*\(/i.test(T(item.e))) approx.push(names.length);
    names.push(item.name ?? (item.as ? item.as.toLowerCase() : outputName(item.e, names.length)));
    tSel.push(T(item.e) + (item.as ? ` AS ${item.as}` : ''));
    dSel.push(D(item.e) + (item.as ? ` AS ${item.as}` : ''));
  }
  const distinct = q.distinct ? 'DISTINCT ' : '';
  let trino = `SELECT ${distinct}${tSel.join(', ')} FROM ${q.from ?? 'access_log'}`;
  if (q.where) trino += ` WHERE ${T(q.where)}`;
  const dClauses = [];
  if (q.groupBy?.length) {
    trino += ` GROUP BY ${q.groupBy.map(T).join(', ')}`;
    dClauses.push(` GROUP BY ${q.groupBy.map(D).join(', ')}`);
  }
  if (q.having) {
    trino += ` HAVING ${T(q.having)}`;
    dClauses.push(` HAVING ${D(q.having)}`);
  }
  if (q.orderBy?.length) {
    const key = (k, dialect) => `${dialect(k.e)}${k.desc ? ' DESC' : ''}`;
    trino += ` ORDER BY ${q.orderBy.map((k) => key(k, T) + (k.nulls ? ` NULLS ${k.nulls}` : '')).join(', ')}`;
    dClauses.push(` ORDER BY ${q.orderBy.map((k) => `${key(k, D)} NULLS ${k.nulls ?? 'LAST'}`).join(', ')}`);
  }
  if (q.offset !== undefined) trino += ` OFFSET ${q.offset}`;
  if (q.limit !== undefined) {
    trino += ` LIMIT ${q.limit}`;
    dClauses.push(` LIMIT ${q.limit}`);
  }
  if (q.offset !== undefined) dClauses.push(` OFFSET ${q.offset}`);

  // Number the ? of each part in Trino order: SELECT list, WHERE, then the clauses after it.
  let n = 0;
  const number = (text) => numberParameters(text, () => `$${++n}`);
  const selectText = number(`SELECT ${distinct}${dSel.join(', ')}`);
  const whereText = q.where ? number(` WHERE ${D(q.where)}`) : '';
  const restText = number(dClauses.join(''));
  const duckdb = `WITH base AS (SELECT * FROM raw${whereText}${noDedup ? '' : ` ${DEDUP}`}) ` +
    `${selectText} FROM base${restText}`;
  return {
    trino,
    duckdb,
    names,
    ordered: q.ordered ?? Boolean(q.orderBy?.length),
    approx,
    paramCount: n,
  };
}

/** Replaces each `?` outside string literals, quoted identifiers and comments with next(). */
export function numberParameters(sql, next) {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) break;
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else {
          j++;
        }
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      const j = end < 0 ? sql.length : end;
      out += sql.slice(i, j);
      i = j;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      const j = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '?') {
      out += next();
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
