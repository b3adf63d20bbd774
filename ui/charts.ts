/**
 * Time-series charts with uPlot: x is unix seconds, each series one line.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.ts';

export interface Series {
  readonly label: string;
  readonly values: readonly number[];
  readonly color: string;
}

/** A chart of `series` over `xs` (unix seconds), in a titled box. */
export function lineChart(title: string, xs: readonly number[], series: readonly Series[], testId: string): HTMLElement {
  const box = h('div', { class: 'chart', 'data-testid': testId }, h('h3', {}, title));
  new uPlot(
    {
      width: 350,
      height: 190,
      legend: { show: true },
      scales: { x: { time: true } },
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: xs.length < 40 } }))],
      axes: [{}, { size: 50 }],
    },
    [[...xs], ...series.map((s) => [...s.values])],
    box,
  );
  return box;
}
