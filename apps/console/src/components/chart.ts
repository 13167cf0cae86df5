import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { t, term } from '../i18n/i18n';
import { PREDICATES } from '../types';

export interface Bound {
  rule: string;
  description: string;
  predicates: string[];
  comparison: 'AT_MOST' | 'AT_LEAST' | 'AT_LEAST_ONE' | 'NONE';
  threshold: number;
  count: number;
  n: number;
  ok: boolean;
}

/** The bound's line, in percent of the unit: AT_MOST/AT_LEAST at their threshold, NONE at 0, AT_LEAST_ONE at one person. */
export function boundPercent(bound: Bound): number {
  switch (bound.comparison) {
    case 'AT_MOST':
    case 'AT_LEAST':
      return bound.threshold * 100;
    case 'NONE':
      return 0;
    case 'AT_LEAST_ONE':
      return bound.n === 0 ? 0 : 100 / bound.n;
  }
}

/**
 * The unit's distribution of predicates (bars, % of the unit's appraisals) against the SE 3/2023
 * pattern of its organisational predicate: each bound drawn as a dashed line over the bars it
 * constrains, green when met, red when not. The table below carries the same figures for screen readers.
 */
export function DistributionChart({ counts, n, bounds }: { counts: Record<string, number>; n: number; bounds: Bound[] }) {
  const target = useRef<HTMLDivElement>(null);
  const shares = PREDICATES.map((p) => (n === 0 ? 0 : (100 * (counts[p] ?? 0)) / n));
  useEffect(() => {
    const el = target.current;
    if (el === null) return;
    const width = Math.max(280, Math.min(720, el.clientWidth || 640));
    const xs = PREDICATES.map((_, i) => i);
    const chart = new uPlot(
      {
        width,
        height: 300,
        title: t('unit.distribution'),
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, PREDICATES.length - 0.5] }, y: { range: [0, 100] } },
        axes: [
          {
            values: (_u, ticks) => ticks.map((i) => (Number.isInteger(i) ? term('predicate', PREDICATES[i]) : '')),
            splits: () => xs,
            size: 40,
          },
          { label: t('unit.share'), values: (_u, ticks) => ticks.map((v) => `${v}%`) },
        ],
        series: [
          {},
          {
            label: t('unit.share'),
            fill: '#3b6ea5',
            stroke: '#24476d',
            paths: uPlot.paths.bars?.({ size: [0.6, 80] }),
            points: { show: false },
          },
        ],
        hooks: {
          draw: [
            (u) => {
              const { ctx } = u;
              ctx.save();
              ctx.setLineDash([6, 4]);
              ctx.lineWidth = 2 * devicePixelRatio;
              for (const bound of bounds) {
                const y = u.valToPos(boundPercent(bound), 'y', true);
                const indexes = bound.predicates.map((p) => PREDICATES.indexOf(p as (typeof PREDICATES)[number])).filter((i) => i >= 0);
                if (indexes.length === 0) continue;
                const left = u.valToPos(Math.min(...indexes) - 0.45, 'x', true);
                const right = u.valToPos(Math.max(...indexes) + 0.45, 'x', true);
                ctx.strokeStyle = bound.ok ? '#1d7a3a' : '#b3261e';
                ctx.beginPath();
                ctx.moveTo(left, y);
                ctx.lineTo(right, y);
                ctx.stroke();
              }
              ctx.restore();
            },
          ],
        },
      },
      [xs, shares],
      el,
    );
    return () => chart.destroy();
  }, [counts, n, bounds]);

  return html`<figure class="chart" data-testid="distribution-chart">
    <div ref=${target} role="img" aria-label=${t('unit.chartLabel')}></div>
    <figcaption>
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">${t('appraisal.predicate')}</th>
            <th scope="col">${t('unit.count')}</th>
            <th scope="col">${t('unit.share')}</th>
          </tr>
        </thead>
        <tbody>
          ${PREDICATES.map(
            (p, i) =>
              html`<tr>
                <th scope="row">${term('predicate', p)}</th>
                <td>${counts[p] ?? 0}</td>
                <td>${shares[i].toFixed(1)}%</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <ul class="bounds" data-testid="bounds">
        ${bounds.map(
          (b) =>
            html`<li class=${b.ok ? 'ok' : 'bad'}>
              ${t('unit.bound')}: ${b.description} — ${b.count}/${b.n} — ${b.ok ? t('unit.boundOk') : t('unit.boundFails')}
            </li>`,
        )}
      </ul>
    </figcaption>
  </figure>`;
}
