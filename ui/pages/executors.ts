/**
 * Executors (runtimes, GPUs, prices) and function calls (status, latency from the call's block to
 * its result's block), from the triggers module's queries and CometBFT's tx index.
 */
import { queryCall, queryExecutors, queryPendingCalls } from '../../client/index.ts';
import { type Api, attributeValues, blockTimes, searchTxs } from '../api.ts';
import { facts, link, section, show, table } from '../dom.ts';
import { short, uain } from '../format.ts';

const CALLS = 30;

export async function executorsPage(api: Api, root: HTMLElement): Promise<void> {
  const [executors, pending, called, results] = await Promise.all([
    queryExecutors(api.comet),
    queryPendingCalls(api.comet),
    searchTxs(api, 'ain.triggers.v1.EventFunctionCalled.call_id EXISTS', CALLS),
    searchTxs(api, 'ain.triggers.v1.EventResultSubmitted.call_id EXISTS', 100),
  ]);
  const calledAt = new Map<string, string>();
  for (const tx of called)
    for (const id of attributeValues(tx, 'ain.triggers.v1.EventFunctionCalled', 'call_id')) calledAt.set(id, tx.height);
  const resultAt = new Map<string, string>();
  for (const tx of results)
    for (const id of attributeValues(tx, 'ain.triggers.v1.EventResultSubmitted', 'call_id')) resultAt.set(id, tx.height);
  const ids = [...calledAt.keys()].sort((a, b) => Number(b) - Number(a)).slice(0, CALLS);
  const calls = await Promise.all(ids.map((id) => queryCall(api.comet, BigInt(id)).then((answer) => answer.call)));
  const times = await blockTimes(api, [...ids.flatMap((id) => [calledAt.get(id)!, resultAt.get(id) ?? calledAt.get(id)!])]);
  const latency = (id: string): string => {
    const done = resultAt.get(id);
    if (!done) return '-';
    const ms = (times.get(done) ?? 0) - (times.get(calledAt.get(id)!) ?? 0);
    const blocks = Number(done) - Number(calledAt.get(id));
    return `${(ms / 1000).toFixed(1)} s (${blocks} block${blocks === 1 ? '' : 's'})`;
  };

  show(
    root,
    section(
      'Executors',
      table(
        ['Address', 'Runtimes', 'CPU', 'Memory', 'GPUs', 'GPU memory', 'Price per call'],
        executors.map((e) => [
          link(`account/${e.address}`, short(e.address)),
          e.runtimeInfo.length > 0
            ? e.runtimeInfo.map((r) => `${r.name} (${r.kind} ${r.version}${r.cuda ? ', CUDA' : ''})`).join(', ')
            : e.runtimes.join(', '),
          e.cpu,
          `${e.memoryMb} MB`,
          e.gpus,
          `${e.gpuMemoryMb} MB`,
          uain(e.price),
        ]),
        'executors',
      ),
    ),
    section(
      'Function calls',
      facts([['Pending', pending.calls.length]]),
      table(
        ['Call', 'Function', 'Trigger path', 'Runtime', 'Status', 'Executor', 'Price', 'Latency'],
        calls.map((c) => [
          String(c.id),
          c.functionId,
          link(`state${c.triggerPath}`, c.triggerPath),
          c.runtime,
          c.error ? `${c.status}: ${c.error}` : c.status,
          c.executor ? short(c.executor) : '-',
          uain(c.price),
          latency(String(c.id)),
        ]),
        'calls',
      ),
    ),
  );
}
