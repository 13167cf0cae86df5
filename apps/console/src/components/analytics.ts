import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { t, term, type MessageKey } from '../i18n/i18n';

/** The answers of the analytics routes the console draws (README "Subjectivity analytics"). */
export interface Distribution {
  n: number;
  counts: Record<string, number>;
  shares: Record<string, number>;
}
export interface Leniency {
  n: number;
  comparisonN: number;
  mean: number | null;
  comparisonMean: number | null;
  index: number | null;
  standardError: number | null;
  ci95: number[] | null;
  flag: string | null;
}
export interface Agreement {
  ordinal: number | null;
  ordinalExact: string | null;
  nominal: number | null;
  raters: number;
  pairableValues: number;
  appraisals: number;
}
export interface Flag {
  kind: string;
  unitId: string | null;
  subjectId: string | null;
  detail: string;
}
export interface NationalReference {
  years: string;
  shares: { SANGAT_BAIK: number; BAIK: number; BELOW_BAIK: number };
}

/** The national reference has three groups only: SANGAT_BAIK, BAIK and everything below BAIK together. */
const GROUPS = ['SANGAT_BAIK', 'BAIK', 'BELOW_BAIK'] as const;
const COLOURS = ['#3b6ea5', '#8a5a00', '#5b7f3a', '#6b4c9a'];
const NATIONAL_COLOUR = '#777777';

export const groupShares = (d: Distribution): number[] => [
  d.shares.SANGAT_BAIK ?? 0,
  d.shares.BAIK ?? 0,
  (d.shares.BUTUH_PERBAIKAN ?? 0) + (d.shares.KURANG ?? 0) + (d.shares.SANGAT_KURANG ?? 0),
];
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
const signed = (x: number | null): string => (x === null ? '—' : `${x > 0 ? '+' : ''}${x.toFixed(2)}`);
const groupLabel = (g: (typeof GROUPS)[number]): string => (g === 'BELOW_BAIK' ? t('analytics.belowBaik') : term('predicate', g));

function useChart(make: (el: HTMLDivElement, width: number) => uPlot, deps: unknown[]) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = target.current;
    if (el === null) return;
    const chart = make(el, Math.max(280, Math.min(720, el.clientWidth || 640)));
    return () => chart.destroy();
  }, deps);
  return target;
}

/**
 * Grouped bars: each group's share of SANGAT_BAIK, BAIK and below, beside the national reference
 * (grey). Slots on the x axis: one per (predicate group, series), a gap between predicate groups.
 */
export function SharesChart({
  series,
  national,
  testid,
}: {
  series: { label: string; d: Distribution }[];
  national: NationalReference;
  testid: string;
}) {
  const all = [
    ...series.map((s) => ({ label: `${s.label} (n = ${s.d.n})`, values: groupShares(s.d) })),
    {
      label: t('analytics.national', { years: national.years }),
      values: GROUPS.map((g) => national.shares[g]),
    },
  ];
  const slots = all.length + 1;
  const xs = Array.from({ length: GROUPS.length * slots }, (_, i) => i);
  const target = useChart(
    (el, width) =>
      new uPlot(
        {
          width,
          height: 260,
          title: t('analytics.sharesTitle'),
          cursor: { show: false },
          legend: { show: true, live: false },
          scales: { x: { time: false, range: [-0.8, xs.length - 1.2] }, y: { range: [0, 100] } },
          axes: [
            {
              splits: () => GROUPS.map((_, c) => c * slots + (all.length - 1) / 2),
              values: (_u, ticks) => ticks.map((x) => groupLabel(GROUPS[Math.round((x - (all.length - 1) / 2) / slots)] ?? 'BAIK')),
              size: 40,
            },
            { label: t('unit.share'), values: (_u, ticks) => ticks.map((v) => `${v}%`) },
          ],
          series: [
            {},
            ...all.map((s, i) => ({
              label: s.label,
              fill: i === all.length - 1 ? NATIONAL_COLOUR : COLOURS[i % COLOURS.length],
              stroke: i === all.length - 1 ? NATIONAL_COLOUR : COLOURS[i % COLOURS.length],
              paths: uPlot.paths.bars?.({ size: [0.9, 60] }),
              points: { show: false },
            })),
          ],
        },
        [xs, ...all.map((s, i) => xs.map((x) => (x % slots === i ? s.values[Math.floor(x / slots)] * 100 : null)))],
        el,
      ),
    [JSON.stringify(all)],
  );
  return html`<figure class="chart" data-testid=${testid}>
    <div ref=${target} role="img" aria-label=${t('analytics.sharesLabel')}></div>
    <figcaption>
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">${t('analytics.group')}</th>
            ${GROUPS.map((g) => html`<th scope="col">${groupLabel(g)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${all.map(
            (s) =>
              html`<tr>
                <th scope="row">${s.label}</th>
                ${s.values.map((v) => html`<td>${percent(v)}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
    </figcaption>
  </figure>`;
}

/**
 * Leniency index per appraiser (points) with its 95% interval (whiskers), the zero line and the
 * ±0.5-step flag threshold dashed. An index with no interval (too few appraisals) has no whisker.
 */
export function LeniencyChart({ rows, testid }: { rows: { label: string; l: Leniency }[]; testid: string }) {
  const xs = rows.map((_, i) => i);
  const lows = rows.map((r) => r.l.ci95?.[0] ?? r.l.index ?? 0);
  const highs = rows.map((r) => r.l.ci95?.[1] ?? r.l.index ?? 0);
  const reach = Math.max(1, ...lows.map(Math.abs), ...highs.map(Math.abs)) * 1.1;
  const target = useChart(
    (el, width) =>
      new uPlot(
        {
          width,
          height: 240,
          title: t('analytics.leniencyTitle'),
          cursor: { show: false },
          legend: { show: false },
          scales: { x: { time: false, range: [-0.5, Math.max(0.5, rows.length - 0.5)] }, y: { range: [-reach, reach] } },
          axes: [
            { splits: () => xs, values: (_u, ticks) => ticks.map((i) => rows[i]?.label ?? ''), size: 40 },
            { label: t('analytics.leniencyAxis'), values: (_u, ticks) => ticks.map((v) => signed(v)) },
          ],
          series: [
            {},
            { label: t('analytics.index'), stroke: '#24476d', paths: () => null, points: { show: true, size: 10, fill: '#3b6ea5' } },
          ],
          hooks: {
            draw: [
              (u) => {
                const { ctx } = u;
                ctx.save();
                ctx.lineWidth = 2 * devicePixelRatio;
                const line = (y: number, dash: number[], colour: string) => {
                  ctx.setLineDash(dash);
                  ctx.strokeStyle = colour;
                  ctx.beginPath();
                  ctx.moveTo(u.bbox.left, u.valToPos(y, 'y', true));
                  ctx.lineTo(u.bbox.left + u.bbox.width, u.valToPos(y, 'y', true));
                  ctx.stroke();
                };
                line(0, [], '#444444');
                line(0.5, [6, 4], '#b3261e');
                line(-0.5, [6, 4], '#b3261e');
                ctx.setLineDash([]);
                ctx.strokeStyle = '#24476d';
                rows.forEach((r, i) => {
                  if (r.l.ci95 === null) return;
                  const x = u.valToPos(i, 'x', true);
                  ctx.beginPath();
                  ctx.moveTo(x, u.valToPos(r.l.ci95[0], 'y', true));
                  ctx.lineTo(x, u.valToPos(r.l.ci95[1], 'y', true));
                  ctx.stroke();
                });
                ctx.restore();
              },
            ],
          },
        },
        [xs, rows.map((r) => r.l.index)],
        el,
      ),
    [JSON.stringify(rows)],
  );
  return html`<figure class="chart" data-testid=${testid}>
    <div ref=${target} role="img" aria-label=${t('analytics.leniencyLabel')}></div>
    <figcaption>
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">${t('analytics.against')}</th>
            <th scope="col">${t('analytics.index')}</th>
            <th scope="col">${t('analytics.interval')}</th>
            <th scope="col">${t('analytics.restsOn')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr data-flag=${r.l.flag ?? undefined}>
                <th scope="row">${r.label}</th>
                <td>${signed(r.l.index)}</td>
                <td>${r.l.ci95 === null ? t('analytics.noInterval') : `${signed(r.l.ci95[0])} … ${signed(r.l.ci95[1])}`}</td>
                <td>${t('analytics.counts', { n: r.l.n, m: r.l.comparisonN })}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </figcaption>
  </figure>`;
}

/** Krippendorff's alpha (ordinal) per group, bars on [-1, 1], each labelled with the raters it rests on. */
export function AgreementChart({ rows, testid }: { rows: { label: string; a: Agreement }[]; testid: string }) {
  const xs = rows.map((_, i) => i);
  const target = useChart(
    (el, width) =>
      new uPlot(
        {
          width,
          height: 220,
          title: t('analytics.alphaTitle'),
          cursor: { show: false },
          legend: { show: false },
          scales: { x: { time: false, range: [-0.5, Math.max(0.5, rows.length - 0.5)] }, y: { range: [-1, 1] } },
          axes: [
            {
              splits: () => xs,
              values: (_u, ticks) => ticks.map((i) => (rows[i] === undefined ? '' : `${rows[i].label} (${rows[i].a.raters})`)),
              size: 40,
            },
            { label: 'α' },
          ],
          series: [
            {},
            { label: 'α', fill: '#5b7f3a', stroke: '#3d5a25', paths: uPlot.paths.bars?.({ size: [0.5, 60] }), points: { show: false } },
          ],
        },
        [xs, rows.map((r) => r.a.ordinal)],
        el,
      ),
    [JSON.stringify(rows)],
  );
  return html`<figure class="chart" data-testid=${testid}>
    <div ref=${target} role="img" aria-label=${t('analytics.alphaLabel')}></div>
    <figcaption>
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">${t('analytics.group')}</th>
            <th scope="col">α</th>
            <th scope="col">${t('analytics.raters')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <th scope="row">${r.label}</th>
                <td>${r.a.ordinal === null ? t('analytics.alphaUndefined') : r.a.ordinal.toFixed(3)}</td>
                <td>${t('analytics.ratersCount', { raters: r.a.raters, values: r.a.pairableValues })}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </figcaption>
  </figure>`;
}

/** Each flag as what a person would do about it, with the figures behind it; none is said so. */
export function Flags({ flags }: { flags: Flag[] }) {
  if (flags.length === 0) return html`<p class="ok" data-testid="flags-none">${t('analytics.noFlags')}</p>`;
  return html`<ul class="flags" data-testid="flags">
    ${flags.map(
      (f) =>
        html`<li class="bad" data-flag=${f.kind}>
          <strong
            >${t(`analytics.flag.${f.kind}` as MessageKey, { who: f.subjectId ?? t('analytics.someone'), unit: f.unitId ?? '' })}</strong
          >
          <span class="muted small" lang="en"> — ${f.detail}</span>
        </li>`,
    )}
  </ul>`;
}
