// Numbers for people: byte counts in decimal units (the scan threshold is set in GB, 10^9 bytes),
// counts with thousands separators, durations. Pure module.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** "0 B", "999 B", "1.5 kB", "12.3 GB": three significant digits at most. */
export function formatBytes(bytes) {
  let v = Number(bytes);
  if (!Number.isFinite(v) || v < 0) return '—';
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    ++u;
  }
  if (u === 0) return `${Math.round(v)} B`;
  const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
  // toFixed may round 9.995 up to "10.00": keep three significant digits even then.
  const text = Number(v.toFixed(digits)).toString();
  return `${text} ${UNITS[u]}`;
}

/** 1234567 → "1,234,567" in `locale` (Japanese uses the same grouping). */
export function formatCount(n, locale = 'en') {
  return Number(n).toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US');
}

/** Seconds → "0.42 s", "12.3 s", "2 min 05 s". */
export function formatSeconds(seconds) {
  const s = Number(seconds);
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}
