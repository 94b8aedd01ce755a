import type { Spread } from './stats.js';

export interface BarGroup {
  label: string;
  bars: Array<{ series: string; spread: Spread | undefined }>;
}

const COLORS = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#6b7280'];
const WIDTH = 820;
const HEIGHT = 400;
const PLOT = { left: 60, right: 200, top: 40, bottom: 50 };

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A round axis maximum and step (1, 2 or 5 × 10^k seconds) above `max`. */
function axis(maxSeconds: number): { top: number; step: number } {
  const rough = Math.max(maxSeconds, 0.001) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? rough;
  return { top: Math.ceil(maxSeconds / step) * step, step };
}

/** Grouped bars of the median wall time, with a min–max whisker on each; one colour per series. */
export function barChartSvg(title: string, series: readonly string[], groups: readonly BarGroup[]): string {
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const maxSeconds = Math.max(
    ...groups.flatMap((group) => group.bars.map(({ spread }) => (spread?.max ?? 0) / 1000)),
  );
  const { top, step } = axis(maxSeconds);
  const y = (seconds: number): number => PLOT.top + plotHeight - (seconds / top) * plotHeight;
  const groupWidth = plotWidth / Math.max(groups.length, 1);
  const barWidth = (groupWidth * 0.8) / Math.max(series.length, 1);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2 - PLOT.right / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  );
  for (let tick = 0; tick <= top + step / 2; tick += step) {
    const ty = y(tick).toFixed(1);
    parts.push(
      `<line x1="${PLOT.left}" x2="${PLOT.left + plotWidth}" y1="${ty}" y2="${ty}" stroke="#e5e7eb"/>`,
      `<text x="${PLOT.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle">${Number(tick.toPrecision(3))} s</text>`,
    );
  }
  groups.forEach((group, groupIndex) => {
    const groupLeft = PLOT.left + groupIndex * groupWidth + groupWidth * 0.1;
    group.bars.forEach(({ series: name, spread }) => {
      const index = series.indexOf(name);
      if (spread === undefined || index < 0) return;
      const x = groupLeft + index * barWidth;
      const color = COLORS[index % COLORS.length] ?? '#000';
      const barTop = y(spread.median / 1000);
      const middle = (x + barWidth / 2).toFixed(1);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${barTop.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(y(0) - barTop).toFixed(1)}" fill="${color}"><title>${escapeXml(`${name}, ${group.label}: median ${(spread.median / 1000).toFixed(3)} s`)}</title></rect>`,
        `<line x1="${middle}" x2="${middle}" y1="${y(spread.min / 1000).toFixed(1)}" y2="${y(spread.max / 1000).toFixed(1)}" stroke="#111827"/>`,
      );
    });
    parts.push(
      `<text x="${(groupLeft + groupWidth * 0.4).toFixed(1)}" y="${HEIGHT - PLOT.bottom + 20}" text-anchor="middle">${escapeXml(group.label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${PLOT.left}" x2="${PLOT.left + plotWidth}" y1="${y(0)}" y2="${y(0)}" stroke="#111827"/>`,
    `<text x="${PLOT.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">platforms × tags (bar: median, line: min–max)</text>`,
  );
  series.forEach((name, index) => {
    const ly = PLOT.top + 10 + index * 22;
    parts.push(
      `<rect x="${WIDTH - PLOT.right + 20}" y="${ly - 9}" width="14" height="14" fill="${COLORS[index % COLORS.length] ?? '#000'}"/>`,
      `<text x="${WIDTH - PLOT.right + 40}" y="${ly + 2}">${escapeXml(name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
