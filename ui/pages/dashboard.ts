/**
 * The dashboard: the chain at a glance, charts of the last blocks (tx/s, block time) and of the last
 * minutes (function calls and job requests per minute), the job statistics, the latest blocks and txs.
 */
import { queryJobStats, queryJobs } from '../../client/index.ts';
import { type Api, blockTimes, recentBlocks, searchTxs } from '../api.ts';
import { lineChart } from '../charts.ts';
import { facts, h, link, section, show, table } from '../dom.ts';
import { clock, coins, perMinute, short, uain } from '../format.ts';
import { txRows, type TxsAnswer } from './blocks.ts';

const BLOCKS = 60;
const MINUTES = 15;
/** Jobs with a row in the statistics table. */
const JOBS = 20;

export async function dashboard(api: Api, root: HTMLElement): Promise<void> {
  const [info, metas, supply, validators, stats, jobs, txs, calls, requests] = await Promise.all([
    api.rest<{ default_node_info: { network: string; version: string } }>('/cosmos/base/tendermint/v1beta1/node_info'),
    recentBlocks(api, BLOCKS),
    api.rest<{ supply: Array<{ denom: string; amount: string }> }>('/cosmos/bank/v1beta1/supply'),
    api.rest<{ validators: unknown[] }>('/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED'),
    queryJobStats(api.comet),
    queryJobs(api.comet, 0n, JOBS),
    api.rest<TxsAnswer>('/cosmos/tx/v1beta1/txs?query=tx.height>0&order_by=ORDER_BY_DESC&limit=10'),
    searchTxs(api, 'ain.triggers.v1.EventFunctionCalled.call_id EXISTS', 100),
    searchTxs(api, 'ain.jobs.v1.EventJobRequested.request_id EXISTS', 100),
  ]);
  const latest = metas[0];
  const oldest = metas.at(-1);

  // Oldest first for the charts; the first block has no interval before it.
  const ordered = [...metas].reverse();
  const xs: number[] = [];
  const tps: number[] = [];
  const blockSeconds: number[] = [];
  for (let i = 1; i < ordered.length; i++) {
    const seconds = (Date.parse(ordered[i]!.header.time) - Date.parse(ordered[i - 1]!.header.time)) / 1000;
    xs.push(Date.parse(ordered[i]!.header.time) / 1000);
    blockSeconds.push(seconds);
    tps.push(seconds > 0 ? Number(ordered[i]!.num_txs) / seconds : 0);
  }
  const totalTxs = ordered.slice(1).reduce((sum, m) => sum + Number(m.num_txs), 0);
  const span = latest && oldest ? (Date.parse(latest.header.time) - Date.parse(oldest.header.time)) / 1000 : 0;

  const times = await blockTimes(
    api,
    [...calls, ...requests].map((tx) => tx.height),
  );
  const now = Date.now();
  const [minutes, callCounts] = perMinute(
    calls.map((tx) => times.get(tx.height) ?? 0),
    MINUTES,
    now,
  );
  const [, jobCounts] = perMinute(
    requests.map((tx) => times.get(tx.height) ?? 0),
    MINUTES,
    now,
  );
  const perJob = await Promise.all(jobs.jobs.map((job) => queryJobStats(api.comet, job.id).then((s) => [job, s] as const)));

  show(
    root,
    facts(
      [
        ['Chain', info.default_node_info.network],
        ['Height', latest ? link(`blocks/${latest.header.height}`, latest.header.height) : '-'],
        ['Mean block time', metas.length > 1 ? `${(span / (metas.length - 1)).toFixed(2)} s` : '-'],
        ['Tx/s (last blocks)', span > 0 ? (totalTxs / span).toFixed(2) : '0'],
        ['Bonded validators', validators.validators.length],
        ['Supply', coins(supply.supply)],
      ],
      'chain-facts',
    ),
    h(
      'div',
      { class: 'charts' },
      lineChart(`Tx/s over the last ${xs.length} blocks`, xs, [{ label: 'tx/s', values: tps, color: '#2a6fdb' }], 'chart-tps'),
      lineChart('Block time (s)', xs, [{ label: 'seconds', values: blockSeconds, color: '#d9480f' }], 'chart-block-time'),
      lineChart(
        `Calls and job requests per minute (${MINUTES} min)`,
        minutes,
        [
          { label: 'calls/min', values: callCounts, color: '#2f9e44' },
          { label: 'jobs/min', values: jobCounts, color: '#862e9c' },
        ],
        'chart-per-minute',
      ),
    ),
    section(
      'Job statistics',
      facts(
        [
          ['Jobs', stats.jobs],
          ['Requests', stats.requests],
          ['In escrow', uain(stats.escrow)],
        ],
        'job-totals',
      ),
      table(
        [
          'Job',
          'Requests',
          'Completed',
          'Expired / failed',
          'Challenges (upheld)',
          'Paid to workers',
          'Paid to evaluators',
          'Mean payout',
          'Mean settle time',
          'Completed per day',
        ],
        perJob.map(([job, s]) => [
          link(`jobs/${job.id}`, `${job.id} ${job.name}`),
          s.job?.requests ?? 0n,
          s.job?.completed ?? 0n,
          `${s.job?.expired ?? 0n} / ${s.job?.failed ?? 0n}`,
          `${s.job?.challenges ?? 0n} (${s.job?.challengesUpheld ?? 0n})`,
          uain(s.job?.paidWorkers ?? ''),
          uain(s.job?.paidEvaluators ?? ''),
          uain(s.meanPayout),
          `${s.meanSettleSeconds} s`,
          (Number(s.completedPerDayMilli) / 1000).toFixed(3),
        ]),
        'job-stats',
      ),
    ),
    section(
      'Latest blocks',
      table(
        ['Height', 'Time', 'Txs', 'Hash'],
        metas
          .slice(0, 10)
          .map((m) => [link(`blocks/${m.header.height}`, m.header.height), clock(m.header.time), m.num_txs, short(m.block_id.hash)]),
        'latest-blocks',
      ),
    ),
    section('Latest transactions', txRows(txs, 'latest-txs')),
  );
}
