import { isValue, type Estimate, type Verdict } from './lift';

/*
 * A forest plot of relative conversion lift with its 95% interval, one row per playbook, as a
 * hand-built SVG: no charting dependency for one picture. Pure: returns the text, the CLI writes it.
 */

export interface ChartRow {
  label: string;
  lift: Estimate;
  verdict: Verdict;
}

const WIDTH = 760;
const LABEL_WIDTH = 200;
const NOTE_WIDTH = 210;
const ROW = 30;
const TOP = 50;
const BOTTOM = 40;
const PLOT_LEFT = LABEL_WIDTH;
const PLOT_RIGHT = WIDTH - NOTE_WIDTH;

/** Labels are playbook IDs and names, which authors write: escaped so they cannot break the XML. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const percent = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/** A tick step of 1, 2 or 5 × 10^k that gives about five ticks across the span. */
function tickStep(span: number): number {
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? raw;
}

export function liftChartSvg(
  rows: readonly ChartRow[],
  title = 'Relative conversion lift, 95% interval',
): string {
  const values = rows.flatMap((row) =>
    isValue(row.lift)
      ? [row.lift.value, row.lift.interval?.low ?? row.lift.value, row.lift.interval?.high ?? row.lift.value]
      : [],
  );
  // Zero is always on the axis; a huge upper limit from a tiny arm is drawn as an arrow, not to scale.
  const finite = values.filter(Number.isFinite);
  let min = Math.min(-0.1, ...finite.map((v) => Math.max(v, -1)));
  let max = Math.max(0.1, ...finite.map((v) => Math.min(v, 3)));
  const step = tickStep(max - min);
  min = Math.floor(min / step) * step;
  max = Math.ceil(max / step) * step;
  const x = (v: number) =>
    PLOT_LEFT + ((Math.min(Math.max(v, min), max) - min) / (max - min)) * (PLOT_RIGHT - PLOT_LEFT);
  const height = TOP + rows.length * ROW + BOTTOM;
  const axisY = TOP + rows.length * ROW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let tick = min; tick <= max + step / 2; tick += step) {
    const tx = x(tick).toFixed(1);
    out.push(
      `<line x1="${tx}" y1="${TOP - 8}" x2="${tx}" y2="${axisY}" stroke="#eee"/>`,
      `<text x="${tx}" y="${axisY + 16}" text-anchor="middle" fill="#555">${escapeXml(percent(Math.round(tick / step) * step))}</text>`,
    );
  }
  out.push(
    `<line x1="${x(0).toFixed(1)}" y1="${TOP - 8}" x2="${x(0).toFixed(1)}" y2="${axisY}" stroke="#333" stroke-dasharray="4 3"/>`,
    `<line x1="${PLOT_LEFT}" y1="${axisY}" x2="${PLOT_RIGHT}" y2="${axisY}" stroke="#333"/>`,
  );
  rows.forEach((row, i) => {
    const y = TOP + i * ROW + ROW / 2;
    out.push(`<text x="${PLOT_LEFT - 8}" y="${y + 4}" text-anchor="end">${escapeXml(row.label)}</text>`);
    if (!isValue(row.lift)) {
      out.push(
        `<text x="${PLOT_LEFT + 4}" y="${y + 4}" fill="#888">${escapeXml(`n/a: ${row.lift.na}`)}</text>`,
      );
      return;
    }
    const significant = row.verdict === 'significant';
    const colour = significant ? '#1b6ac9' : '#888';
    const { low, high } = row.lift.interval ?? { low: row.lift.value, high: row.lift.value };
    const [x1, x2, cx] = [x(low), x(high), x(row.lift.value)].map((v) => v.toFixed(1));
    out.push(
      `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${colour}" stroke-width="2"/>`,
      `<line x1="${x1}" y1="${y - 6}" x2="${x1}" y2="${y + 6}" stroke="${colour}" stroke-width="2"/>`,
      high > max
        ? `<path d="M${x2} ${y - 6} L${Number(x2) + 8} ${y} L${x2} ${y + 6} Z" fill="${colour}"/>`
        : `<line x1="${x2}" y1="${y - 6}" x2="${x2}" y2="${y + 6}" stroke="${colour}" stroke-width="2"/>`,
      `<circle cx="${cx}" cy="${y}" r="5" fill="${significant ? colour : 'white'}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${PLOT_RIGHT + 14}" y="${y + 4}" fill="${colour}">${escapeXml(
        `${percent(row.lift.value)} [${percent(low)}, ${percent(high)}]${significant ? '' : ' not significant'}`,
      )}</text>`,
    );
  });
  out.push(
    `<text x="${PLOT_LEFT}" y="${height - 8}" fill="#555">Filled: significant at 5%. Hollow grey: not significant.</text>`,
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
