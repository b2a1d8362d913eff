// Queries generated from a small grammar with a seeded PRNG, for the differential suite:
// filters over every column type (comparisons, IN, BETWEEN, LIKE prefix/suffix/contains,
// IS NULL, AND/OR/NOT, functions), group-bys with every aggregate, ORDER BY with total orders
// (uuid or every group key as the last keys, so that results are deterministic), LIMIT/OFFSET.
// Literal values are sampled from the lake (samples), so that filters select something.
import { P, W } from './sql_builder.mjs';

/** xorshift128+-style PRNG on 32-bit halves (mulberry32 would do; this one has a longer period). */
export function makeRng(seed) {
  let a = seed >>> 0 || 1;
  let b = 0x9e3779b9 ^ a;
  const next = () => {
    a ^= a << 13; a >>>= 0;
    a ^= a >>> 17;
    a ^= a << 5; a >>>= 0;
    b = (b + 0x6d2b79f5) >>> 0;
    let t = Math.imul(b ^ (b >>> 15), 1 | b);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) ^ a) >>> 0;
  };
  const rng = {
    float: () => next() / 4294967296,
    int: (lo, hi) => lo + Math.floor(rng.float() * (hi - lo + 1)),  // inclusive
    pick: (arr) => arr[Math.floor(rng.float() * arr.length)],
    chance: (p) => rng.float() < p,
    some: (arr, n) => {
      const copy = [...arr];
      const out = [];
      while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rng.float() * copy.length), 1)[0]);
      return out;
    },
  };
  return rng;
}

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ts = (s) => `TIMESTAMP '${s}'`;

const CMP = ['=', '<>', '<', '<=', '>', '>='];

function randomTime(rng, samples) {
  const [lo, hi] = samples.timeRangeSeconds;
  const secs = rng.int(lo, hi);
  const d = new Date(secs * 1000).toISOString();  // 2024-05-01T12:34:56.000Z
  const frac = rng.chance(0.3) ? `.${String(rng.int(0, 999999)).padStart(6, '0')}` : '';
  return `${d.slice(0, 10)} ${d.slice(11, 19)}${frac}`;
}

// One predicate over one column (or function of a column).
function atom(rng, s) {
  const kind = rng.int(0, 19);
  switch (kind) {
    case 0: { // string = / <> value
      const [col, vals] = rng.pick([['tenant_id', s.tenants], ['method', s.methods], ['path', s.paths], ['user_id', s.userIds],
        ['query', s.queries], ['remote_ip', s.ips], ['uuid', s.uuids], ['datepath', s.days], ['request_id', s.requestIds]]);
      const v = rng.chance(0.1) ? 'no-such-value' : rng.pick(vals);
      return `${col} ${rng.pick(['=', '=', '<>'])} ${q(v)}`;
    }
    case 1: { // string order comparison
      const [col, vals] = rng.pick([['tenant_id', s.tenants], ['path', s.paths], ['user_id', s.userIds], ['uuid', s.uuids], ['datepath', s.days]]);
      return `${col} ${rng.pick(['<', '<=', '>', '>='])} ${q(rng.pick(vals))}`;
    }
    case 2: { // IN / NOT IN strings
      const [col, vals] = rng.pick([['tenant_id', s.tenants], ['method', s.methods], ['path', s.paths], ['uuid', s.uuids], ['datepath', s.days], ['user_id', s.userIds]]);
      const list = rng.some(vals, rng.int(1, 5)).map(q);
      if (rng.chance(0.15)) list.push('NULL');
      return `${col} ${rng.chance(0.3) ? 'NOT IN' : 'IN'} (${list.join(', ')})`;
    }
    case 3: case 4: { // LIKE prefix / suffix / contains
      const [col, pat] = rng.pick([
        ['path', `${rng.pick(s.pathPrefixes)}%`], ['path', `%${rng.pick(['.js', '.jpg', '.css', 'orders', '/1'])}`],
        ['path', `%${rng.pick(['orders', 'search', 'users', 'v2', 'static'])}%`],
        ['user_agent', `%${rng.pick(['iPhone', 'Chrome', 'bot', 'Android', 'curl', 'Firefox', 'Safari/'])}%`],
        ['user_agent', `${rng.pick(['Mozilla/5.0 (Windows', 'Mozilla/5.0 (Macintosh', 'okhttp', 'python-requests'])}%`],
        ['remote_ip', `${rng.pick(['10.0.', '1', '19', '2a0'])}%`], ['uuid', `${rng.pick(s.uuids).slice(0, 2)}%`],
        ['uuid', `%${rng.pick(s.uuids).slice(-3)}`], ['query', `%${rng.pick(['page=2', 'sort=', 'q=', 'category='])}%`],
        ['tenant_id', `%${rng.pick(['a', 'co', 'x'])}%`], ['request_id', `req-${rng.pick(['0', 'a', 'f'])}%`],
        ['remote_ip', '%._'], ['datepath', '2024/05/%'],
      ]);
      return `${col} ${rng.chance(0.2) ? 'NOT LIKE' : 'LIKE'} ${q(pat)}`;
    }
    case 5: // LIKE with ESCAPE
      return `user_id LIKE ${q(`usr\\_${rng.pick(['0', 'a', '1f', 'c'])}%`)} ESCAPE '\\'`;
    case 6: { // IS [NOT] NULL
      const col = rng.pick(['user_id', 'query', 'extra', 'user_id', 'status']);
      return `${col} IS ${rng.chance(0.5) ? 'NOT ' : ''}NULL`;
    }
    case 7: return `status ${rng.pick(CMP)} ${rng.pick(s.statuses)}`;
    case 8: {
      const a = rng.pick([200, 300, 400, 404, 500]);
      return `status ${rng.chance(0.25) ? 'NOT BETWEEN' : 'BETWEEN'} ${a} AND ${a + rng.pick([0, 4, 99, 103])}`;
    }
    case 9: return `status ${rng.chance(0.3) ? 'NOT IN' : 'IN'} (${rng.some(s.statuses, rng.int(1, 4)).join(', ')})`;
    case 10: return `bytes_sent ${rng.pick(CMP)} ${rng.pick([0, 120, 512, 1500, 8000, 65536, 250000])}`;
    case 11: {
      const a = rng.pick([0, 1, 2.5, 10, 42.125, 100, 250.75]);
      return rng.chance(0.5) ? `duration_ms ${rng.pick(CMP)} ${a}` : `duration_ms BETWEEN ${a} AND ${a * 4 + 1}`;
    }
    case 12: case 13: { // time
      const t1 = randomTime(rng, s);
      if (rng.chance(0.5)) return `time ${rng.pick(['<', '<=', '>', '>='])} ${ts(t1)}`;
      const t2 = randomTime(rng, s);
      const [lo, hi] = t1 < t2 ? [t1, t2] : [t2, t1];
      return rng.chance(0.5) ? `time BETWEEN ${ts(lo)} AND ${ts(hi)}` : `time >= ${ts(lo)} AND time < ${ts(hi)}`;
    }
    case 14: { // functions of strings
      return rng.pick([
        `lower(method) = ${q(rng.pick(s.methods).toLowerCase())}`,
        `upper(tenant_id) = ${q(rng.pick(s.tenants).toUpperCase())}`,
        `length(path) ${rng.pick(['<', '>', '='])} ${rng.int(5, 40)}`,
        `strpos(user_agent, ${q(rng.pick(['Mobile', 'Mac', 'bot', 'Linux']))}) ${rng.pick(['> 0', '= 0', '> 20'])}`,
        `substr(uuid, 1, 2) = ${q(rng.pick(s.uuids).slice(0, 2))}`,
        `coalesce(user_id, '-') = '-'`,
        `starts_with(path, ${q(rng.pick(s.pathPrefixes))})`,
        `concat(method, ' ', path) LIKE ${q(`${rng.pick(s.methods)} /api%`)}`,
        `nullif(query, '') IS NULL`,
      ]);
    }
    case 15: { // functions of time
      const t = randomTime(rng, s);
      return rng.pick([
        `hour(time) BETWEEN ${rng.int(0, 12)} AND ${rng.int(12, 23)}`,
        `date_trunc('hour', time) = ${ts(`${t.slice(0, 13)}:00:00`)}`,
        `date_trunc('day', time) = ${ts(`${t.slice(0, 10)} 00:00:00`)}`,
        `minute(time) < ${rng.int(1, 59)}`,
        `day(time) = ${rng.pick([30, 1, 2])}`,
        P(`date_format(time, '%H:%i') >= ${q(t.slice(11, 16))}`, `strftime(time, '%H:%M') >= ${q(t.slice(11, 16))}`),
        P(`to_unixtime(time) < ${Date.parse(`${t.replace(' ', 'T').slice(0, 19)}Z`) / 1000 + 0.25}`,
          `epoch(time) < ${Date.parse(`${t.replace(' ', 'T').slice(0, 19)}Z`) / 1000 + 0.25}`),
        `time + INTERVAL '${rng.int(1, 48)}' HOUR < ${ts(t)}`,
      ]);
    }
    case 16: return rng.pick([`status % ${rng.pick([2, 3, 7])} = ${rng.int(0, 1)}`, `bytes_sent * 2 > ${rng.int(100, 100000)}`,
      `duration_ms / 1000 > ${rng.pick([0.01, 0.1, 1])}`, `status + bytes_sent > ${rng.int(200, 5000)}`, `-status < -400`]);
    case 17: return `datepath ${rng.pick(['=', '>=', '<', '<>'])} ${q(rng.pick(s.days))}`;
    case 18: return `datepath BETWEEN ${q(s.days[0])} AND ${q(rng.pick(s.days))}`;
    default: return `tenant_id = ${q(rng.pick(s.tenants))}`;
  }
}

function predicate(rng, s, depth = 0) {
  const r = rng.float();
  if (depth >= 2 || r < 0.45) return atom(rng, s);
  if (r < 0.75) return W('(', predicate(rng, s, depth + 1), ') AND (', predicate(rng, s, depth + 1), ')');
  if (r < 0.92) return W('(', predicate(rng, s, depth + 1), ') OR (', predicate(rng, s, depth + 1), ')');
  return W('NOT (', predicate(rng, s, depth + 1), ')');
}

const PLAIN_OUTPUTS = ['uuid', 'time', 'tenant_id', 'user_id', 'method', 'path', 'query', 'status', 'duration_ms', 'bytes_sent',
  'remote_ip', 'user_agent', 'request_id', 'datepath', 'extra', 'lower(path)', 'length(user_agent)', 'substr(uuid, 1, 8)',
  'status + 1', 'duration_ms * 2', "date_trunc('minute', time)", 'hour(time)', "coalesce(user_id, 'anon')",
  'cast(status AS varchar)', P("date_format(time, '%H:%i')", "strftime(time, '%H:%M')"), "strpos(path, '/')",
  P('to_unixtime(time)', 'epoch(time)'), "time - INTERVAL '1' HOUR", 'upper(method)', 'cast(bytes_sent AS double) / 2'];
const ORDER_KEYS = ['time', 'status', 'duration_ms', 'bytes_sent', 'tenant_id', 'path', 'user_id', 'query', 'method', 'datepath',
  'length(path)', 'remote_ip'];
const GROUP_KEYS = ['tenant_id', 'method', 'status', 'datepath', 'hour(time)', "date_trunc('hour', time)", 'user_id', 'query',
  P('status / 100', 'status // 100'), 'lower(method)', 'substr(path, 1, 8)', P("date_format(time, '%Y-%m-%d')", "strftime(time, '%Y-%m-%d')"),
  "coalesce(query, '')", 'starts_with(path, \'/api\')'];
const AGGREGATES = ['count(*)', 'count(user_id)', 'count(query)', 'count(DISTINCT user_id)', 'count(DISTINCT path)',
  'count(DISTINCT uuid)', 'count(DISTINCT status)', 'sum(bytes_sent)', 'sum(status)', 'sum(duration_ms)', 'avg(duration_ms)',
  'avg(bytes_sent)', 'avg(status)', 'min(status)', 'max(status)', 'min(duration_ms)', 'max(duration_ms)', 'min(time)',
  'max(time)', 'min(path)', 'max(path)', 'min(user_id)', 'max(user_id)', 'min(bytes_sent)', 'max(bytes_sent)',
  'sum(DISTINCT status)', 'count(DISTINCT tenant_id)', 'max(length(path))'];

function orderKey(rng, e) {
  const k = { e, desc: rng.chance(0.5) };
  const n = rng.float();
  if (n < 0.25) k.nulls = 'FIRST';
  else if (n < 0.5) k.nulls = 'LAST';
  return k;
}

function plainQuery(rng, s) {
  const select = rng.chance(0.08) ? ['*'] : rng.some(PLAIN_OUTPUTS, rng.int(1, 4)).map((e, i) => (rng.chance(0.2) ? { e, as: `c${i}` } : e));
  const orderBy = rng.some(ORDER_KEYS, rng.int(0, 2)).map((e) => orderKey(rng, e));
  orderBy.push({ e: 'uuid', desc: rng.chance(0.3) });
  const query = { select, where: rng.chance(0.9) ? predicate(rng, s) : undefined, orderBy, limit: rng.pick([1, 5, 20, 100, 200]) };
  if (rng.chance(0.3)) query.offset = rng.pick([0, 1, 10, 150]);
  return query;
}

function countQuery(rng, s) {
  return { select: ['count(*)', ...rng.some(AGGREGATES, rng.int(0, 2))], where: predicate(rng, s) };
}

function groupQuery(rng, s) {
  const keys = rng.some(GROUP_KEYS, rng.int(1, 2));
  const aggs = rng.some(AGGREGATES, rng.int(1, 3));
  const select = [...keys.map((e, i) => (rng.chance(0.3) ? { e, as: `k${i}` } : e)), ...aggs];
  // ORDER BY the group keys (their ordinals): unique per group, so the order is total.
  const keyOrder = keys.map((_, i) => orderKey(rng, String(i + 1)));
  const orderBy = rng.chance(0.3) ? [orderKey(rng, String(keys.length + 1)), ...keyOrder] : keyOrder;
  const query = { select, groupBy: keys.map((_, i) => String(i + 1)), orderBy };
  if (rng.chance(0.7)) query.where = predicate(rng, s);
  if (rng.chance(0.25)) query.having = rng.pick(['count(*) > 1', 'count(*) >= 10', 'count(*) > 100', 'max(duration_ms) > 50', 'min(status) < 300']);
  if (rng.chance(0.3)) query.limit = rng.pick([1, 3, 10, 50]);
  if (query.limit !== undefined && rng.chance(0.3)) query.offset = rng.pick([1, 2, 5]);
  return query;
}

function supportSearch(rng, s) {
  const t = randomTime(rng, s);
  const t2 = `${t.slice(0, 11)}${String(Math.min(23, Number(t.slice(11, 13)) + rng.int(1, 6))).padStart(2, '0')}${t.slice(13, 19)}`;
  return {
    select: ['time', 'uuid', 'user_id', 'path', 'status'],
    where: `tenant_id = ${q(rng.pick(s.tenants))} AND time >= ${ts(t.slice(0, 19))} AND time < ${ts(t2)}`,
    orderBy: [{ e: 'time', desc: true }, { e: 'uuid' }],
    limit: rng.pick([10, 100, 1000]),
  };
}

function needle(rng, s) {
  const col = rng.pick(['uuid', 'request_id', 'user_id']);
  const vals = col === 'uuid' ? s.uuids : col === 'request_id' ? s.requestIds : s.userIds;
  const list = rng.some(vals, rng.int(1, 3));
  return { select: ['uuid', 'time', 'tenant_id', 'status'], where: list.length === 1 ? `${col} = ${q(list[0])}` : `${col} IN (${list.map(q).join(', ')})`,
    orderBy: [{ e: 'uuid' }] };
}

/** `count` queries from `seed` over a lake described by `samples` (see sampleLake). */
export function generateQueries(samples, count, seed) {
  const rng = makeRng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = rng.float();
    const query = r < 0.35 ? plainQuery(rng, samples) : r < 0.55 ? countQuery(rng, samples) : r < 0.88 ? groupQuery(rng, samples)
      : r < 0.94 ? supportSearch(rng, samples) : needle(rng, samples);
    query.name = `generated #${i} (seed ${seed})`;
    out.push(query);
  }
  return out;
}

/** Literal values to build predicates from, read from the lake with DuckDB (deterministic). */
export async function sampleLake(db) {
  const col = async (sql) => (await db.all(sql)).map((r) => Object.values(r)[0]);
  const every = (n) => `row_number() OVER (ORDER BY uuid) % ${n} = 0`;
  const [range] = await db.all('SELECT epoch(min(time))::BIGINT AS lo, epoch(max(time))::BIGINT AS hi FROM raw');
  return {
    tenants: await col('SELECT DISTINCT tenant_id FROM raw ORDER BY 1'),
    methods: await col('SELECT DISTINCT method FROM raw ORDER BY 1'),
    statuses: (await col('SELECT DISTINCT status FROM raw ORDER BY 1')).map(Number),
    paths: await col('SELECT path FROM raw GROUP BY path ORDER BY count(*) DESC, path LIMIT 40'),
    pathPrefixes: ['/api/', '/api/v1/', '/api/v1/orders/', '/api/v2/', '/static/', '/images/', '/graphql', '/healthz', '/account', '/'],
    userIds: await col(`SELECT user_id FROM (SELECT user_id, ${every(997)} AS pick FROM raw WHERE user_id IS NOT NULL) WHERE pick ORDER BY 1 LIMIT 40`),
    queries: await col(`SELECT query FROM raw WHERE query IS NOT NULL GROUP BY query ORDER BY count(*) DESC, query LIMIT 20`),
    ips: await col(`SELECT remote_ip FROM raw GROUP BY remote_ip ORDER BY count(*) DESC, remote_ip LIMIT 20`),
    uuids: await col(`SELECT uuid FROM (SELECT uuid, ${every(1999)} AS pick FROM raw) WHERE pick ORDER BY 1 LIMIT 60`),
    requestIds: await col(`SELECT request_id FROM (SELECT request_id, ${every(1999)} AS pick FROM raw) WHERE pick ORDER BY 1 LIMIT 30`),
    days: await col('SELECT DISTINCT datepath FROM raw ORDER BY 1'),
    timeRangeSeconds: [Number(range.lo), Number(range.hi)],
  };
}

