// The histogram of matching records over the searched range: bins from the histogram query's
// rows (pure, tested), drawn as inline SVG bars (renderHistogram, DOM).

import { parseServerTimestamp, startOfDay, nextDay, formatTime } from './time_zone.mjs';

const STEP_MS = { minute: 60_000, hour: 3_600_000 };

/**
 * Bins covering [from, to): one per minute or hour (aligned to UTC, which every whole-hour zone
 * shares), or one per day of `zone` — day bins sum the hour rows, so a Tokyo viewer's days run
 * from 00:00 JST. `rows` are [bucket timestamp text, count]. Returns [{ start, end, count }].
 */
export function buildBins(rows, { from, to, unit, zone }) {
  const counts = new Map();
  for (const [bucket, n] of rows) {
    const t = parseServerTimestamp(bucket);
    if (t) counts.set(t.ms, (counts.get(t.ms) ?? 0) + Number(n));
  }
  const bins = [];
  if (unit === 'day') {
    for (let start = startOfDay(from, zone); start < to; start = nextDay(start, zone)) {
      bins.push({ start, end: nextDay(start, zone), count: 0 });
    }
    for (const [ms, n] of counts) {
      const bin = bins.find((b) => ms >= b.start && ms < b.end);
      if (bin) bin.count += n;
    }
    return bins;
  }
  const step = STEP_MS[unit];
  for (let start = Math.floor(from / step) * step; start < to; start += step) {
    bins.push({ start, end: start + step, count: counts.get(start) ?? 0 });
  }
  return bins;
}

/** A bar's label in `zone`: "2026-05-01 09:00" (minute, hour) or "2026-05-01" (day). */
export function binLabel(bin, unit, zone) {
  const text = formatTime(bin.start, zone);
  return unit === 'day' ? text.slice(0, 10) : text.slice(0, 16);
}

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 100;  // viewBox units; the SVG stretches to the box CSS gives it
const TICKS = 6;

/**
 * Draws `bins` into `container` (emptied first): bars as an SVG stretched to the container's
 * width, tick labels as HTML below it (so text is never stretched). `title(bin)` is each bar's
 * tooltip; `onPick(bin)` (optional) runs when a bar is clicked.
 */
export function renderHistogram(container, bins, { unit, zone, title, onPick }) {
  const doc = container.ownerDocument;
  container.replaceChildren();
  if (bins.length === 0) return;
  const width = bins.length * 10;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'histogram-svg');
  bins.forEach((bin, i) => {
    const h = bin.count === 0 ? 0 : Math.max(1.5, (bin.count / max) * HEIGHT);
    const g = doc.createElementNS(SVG, 'g');
    g.setAttribute('class', onPick ? 'bin pickable' : 'bin');
    // A full-height transparent hit area makes thin and empty bars easy to point at.
    const hit = doc.createElementNS(SVG, 'rect');
    hit.setAttribute('x', String(i * 10));
    hit.setAttribute('y', '0');
    hit.setAttribute('width', '10');
    hit.setAttribute('height', String(HEIGHT));
    hit.setAttribute('class', 'hit');
    const bar = doc.createElementNS(SVG, 'rect');
    bar.setAttribute('x', String(i * 10 + 1));
    bar.setAttribute('y', String(HEIGHT - h));
    bar.setAttribute('width', '8');
    bar.setAttribute('height', String(h));
    bar.setAttribute('class', 'bar');
    const tip = doc.createElementNS(SVG, 'title');
    tip.textContent = title(bin);
    g.append(hit, bar, tip);
    if (onPick) g.addEventListener('click', () => onPick(bin));
    svg.append(g);
  });
  const axis = doc.createElement('div');
  axis.className = 'histogram-axis';
  const every = Math.max(1, Math.ceil(bins.length / TICKS));
  for (let i = 0; i < bins.length; i += every) {
    const tick = doc.createElement('span');
    tick.className = 'tick';
    tick.style.left = `${(i / bins.length) * 100}%`;
    // "05-01 09:00" (minute, hour) or "05-01" (day): the year is in the range fields above.
    tick.textContent = binLabel(bins[i], unit, zone).slice(5);
    axis.append(tick);
  }
  container.append(svg, axis);
}
