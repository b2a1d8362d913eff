// Times on the search page: entered and shown in one IANA time zone (the viewer's, or UTC),
// sent to the server as UTC instants. Built on Intl only. Pure module, tested by
// tests/interop/search_ui_modules.test.mjs.
//
// A "wall time" is what a clock in the zone shows, as "YYYY-MM-DDTHH:MM[:SS]" (the value format
// of <input type="datetime-local">). Instants are epoch milliseconds.

const formatters = new Map();

function partsFormatter(zone) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The viewer's zone from the browser, 'UTC' if it cannot tell. */
export function viewerZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The wall clock fields in `zone` at instant `ms` (seconds precision). */
export function wallFields(ms, zone) {
  const out = {};
  for (const p of partsFormatter(zone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** Offset of `zone` from UTC at instant `ms`, in milliseconds (Tokyo: +9 h). */
export function zoneOffsetMs(ms, zone) {
  const w = wallFields(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a wall time in `zone` names, or NaN if `wall` is not "YYYY-MM-DDTHH:MM[:SS]".
 * A wall time skipped by a daylight-saving jump maps to the instant after the jump; one that
 * occurs twice maps to the earlier of the two.
 */
export function wallToUtc(wall, zone) {
  const m = WALL_RE.exec(String(wall ?? '').trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return NaN;
  // Two offsets around the guess cover a DST change between the wall time and its instant.
  const before = asUtc - zoneOffsetMs(asUtc - 86_400_000, zone);
  const after = asUtc - zoneOffsetMs(asUtc + 86_400_000, zone);
  const candidates = [before, after].filter((t) => {
    const o = zoneOffsetMs(t, zone);
    return t + o === asUtc;
  });
  if (candidates.length > 0) return Math.min(...candidates);
  return Math.max(before, after);  // in a DST gap
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** The wall time at `ms` in `zone` as "YYYY-MM-DDTHH:MM" (for datetime-local inputs). */
export function utcToWall(ms, zone) {
  const w = wallFields(ms, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * "YYYY-MM-DD HH:MM:SS" at `ms` in `zone`, then `.ffffff` if `fraction` (the digits after the
 * second, as the server sent them) is given.
 */
export function formatTime(ms, zone, fraction = '') {
  const w = wallFields(ms, zone);
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  return fraction ? `${base}.${fraction}` : base;
}

/** "+09:00" for an offset in milliseconds. */
export function formatOffset(offsetMs) {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** What the page says about its zone: "Asia/Tokyo (UTC+09:00)", or "UTC". */
export function zoneLabel(zone, ms = Date.now()) {
  if (zone === 'UTC') return 'UTC';
  return `${zone} (UTC${formatOffset(zoneOffsetMs(ms, zone))})`;
}

const SERVER_TS_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/;

/**
 * A timestamp as the API sends it ("2024-05-01 12:34:56.123456", UTC) → { ms, fraction } where
 * `fraction` keeps the sub-second digits exactly as sent (microseconds survive; a JS Date cannot
 * hold them). Null if `text` is not such a timestamp.
 */
export function parseServerTimestamp(text) {
  const m = SERVER_TS_RE.exec(String(text ?? ''));
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const fraction = m[7] ?? '';
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) + (fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0);
  return { ms, fraction };
}

/** "2024-05-01T12:34:56.123456Z": an API timestamp as ISO-8601 UTC (exports and JSON views). */
export function serverTimestampToIso(text) {
  const t = parseServerTimestamp(text);
  if (!t) return text;
  const base = new Date(t.ms - (t.ms % 1000 + 1000) % 1000).toISOString().slice(0, 19);
  return `${base}${t.fraction ? `.${t.fraction}` : ''}Z`;
}

/** The instant the day containing `ms` starts in `zone` (for day bars of the histogram). */
export function startOfDay(ms, zone) {
  const w = wallFields(ms, zone);
  return wallToUtc(`${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T00:00`, zone);
}

/** The instant one day after `dayStart` in `zone` (23 or 25 hours across a DST change). */
export function nextDay(dayStart, zone) {
  return startOfDay(dayStart + 36 * 3_600_000, zone);
}
