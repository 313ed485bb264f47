// Inline SVG charts drawn by hand: horizontal bar charts, optionally stacked.
import { esc } from './dom.js';

/**
 * barChart({ title, items: [{ label, href, segments: [{ value, cls, name }] }], max, format })
 * One row per item; each row's segments are stacked left to right. Returns SVG markup with a
 * <title>/<desc> and an aria-label, so screen readers get the numbers too.
 */
export function barChart({ title, items, max, format = (v) => String(v), width = 640, legend = [] }) {
  const rowH = 26, labelW = 230, valueW = 120, gap = 6;
  const short = (s) => (s.length > 30 ? s.slice(0, 29) + '…' : s);
  const barW = width - labelW - valueW;
  const top = legend.length ? 26 : 4;
  const height = top + items.length * (rowH + gap) + 4;
  const total = (it) => it.segments.reduce((s, x) => s + (x.value || 0), 0);
  const m = max ?? Math.max(1, ...items.map(total));
  let y = top;
  const rows = items.map((it) => {
    let x = labelW;
    const segs = it.segments.map((s) => {
      const w = Math.max(0, ((s.value || 0) / m) * barW);
      const r = `<rect class="${esc(s.cls || 'bar')}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH}"><title>${esc(it.label)}: ${esc(s.name ? s.name + ' ' : '')}${esc(format(s.value))}</title></rect>`;
      x += w;
      return r;
    }).join('');
    const label = it.href
      ? `<a href="${esc(it.href)}"><text class="chart-label" x="${labelW - 8}" y="${y + rowH / 2}" text-anchor="end" dominant-baseline="middle">${esc(short(it.label))}</text></a>`
      : `<text class="chart-label" x="${labelW - 8}" y="${y + rowH / 2}" text-anchor="end" dominant-baseline="middle">${esc(short(it.label))}</text>`;
    const value = `<text class="chart-value" x="${labelW + barW + 8}" y="${y + rowH / 2}" dominant-baseline="middle">${esc(it.valueText ?? format(total(it)))}</text>`;
    const track = `<rect class="bar-track" x="${labelW}" y="${y}" width="${barW}" height="${rowH}"></rect>`;
    y += rowH + gap;
    return `<g>${track}${segs}${label}${value}</g>`;
  }).join('');
  let lx = labelW;
  const leg = legend.map((l) => {
    const g = `<rect class="${esc(l.cls)}" x="${lx}" y="4" width="14" height="14"></rect><text class="chart-legend" x="${lx + 20}" y="11" dominant-baseline="middle">${esc(l.name)}</text>`;
    lx += 30 + l.name.length * 7.5;
    return g;
  }).join('');
  const desc = items.map((it) => `${it.label}: ${it.valueText ?? format(total(it))}`).join('; ');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(title + '. ' + desc)}" preserveAspectRatio="xMinYMin meet"><title>${esc(title)}</title><desc>${esc(desc)}</desc>${leg}${rows}</svg>`;
}
