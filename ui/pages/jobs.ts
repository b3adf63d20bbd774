/**
 * Jobs: the registered jobs and live requests; one job with its reputation tree (admins, evaluators,
 * workers under the admins that vouched for them, each with its Elo rating) and its requests; one
 * request with its phases, results and payouts.
 */
import { queryJob, queryJobNodes, queryJobRequest, queryJobs, queryJobStats, queryLiveRequests } from '../../client/index.ts';
import { roleToJSON } from '../../proto/gen/ain/jobs/v1/types.ts';
import { type Api, attributeValues, searchTxs } from '../api.ts';
import { facts, h, link, section, show, table } from '../dom.ts';
import { short, uain } from '../format.ts';

type Node = Awaited<ReturnType<typeof queryJobNodes>>['nodes'][number];
type Request = Awaited<ReturnType<typeof queryJobRequest>>['request'];

const roles = (list: readonly number[]): string => list.map((r) => roleToJSON(r).replace('ROLE_', '').toLowerCase()).join(', ');
/** A block-time second count as a UTC time, or '-' for 0. */
const at = (seconds: bigint): string => (seconds > 0n ? new Date(Number(seconds) * 1000).toISOString().replace('.000Z', 'Z') : '-');

function requestRows(requests: readonly Request[], testId: string): HTMLElement {
  return table(
    ['Request', 'Job', 'Client', 'Status', 'Worker reward', 'Requested', 'Settled'],
    requests.map((r) => [
      link(`requests/${r.id}`, String(r.id)),
      link(`jobs/${r.jobId}`, String(r.jobId)),
      short(r.client),
      r.status,
      uain(r.workerReward),
      at(r.requestedAt),
      at(r.settledAt),
    ]),
    testId,
  );
}

export async function jobList(api: Api, root: HTMLElement): Promise<void> {
  const [jobs, live] = await Promise.all([queryJobs(api.comet), queryLiveRequests(api.comet)]);
  show(
    root,
    section(
      'Jobs',
      table(
        ['Job', 'Name', 'Admin', 'Runtime', 'GPUs', 'Registered'],
        jobs.jobs.map((j) => [
          link(`jobs/${j.id}`, String(j.id)),
          j.name,
          short(j.admin),
          j.runtime,
          j.resources?.gpus ?? 0,
          at(j.registeredAt),
        ]),
        'jobs',
      ),
    ),
    section('Live requests', requestRows(live.requests, 'live-requests')),
  );
}

/** The reputation tree as nested lists: each node under its parent (roots have none). */
function tree(nodes: readonly Node[]): HTMLElement {
  const byParent = new Map<string, Node[]>();
  for (const node of nodes) byParent.set(node.parent, [...(byParent.get(node.parent) ?? []), node]);
  const known = new Set(nodes.map((n) => n.address));
  const branch = (parent: string, seen: Set<string>): HTMLElement =>
    h(
      'ul',
      {},
      ...(byParent.get(parent) ?? [])
        .filter((n) => !seen.has(n.address))
        .map((n) =>
          h(
            'li',
            { 'data-testid': 'reputation-node' },
            link(`account/${n.address}`, short(n.address)),
            ` ${roles(n.roles)} · ${n.status} · Elo ${(Number(n.rating) / 1000).toFixed(1)} · ${n.stats?.acceptances ?? 0n} accepted, earned ${uain(n.stats?.earned ?? '')}`,
            branch(n.address, new Set([...seen, n.address])),
          ),
        ),
    );
  const roots = nodes.filter((n) => !n.parent || !known.has(n.parent)).map((n) => n.parent);
  return h('div', { 'data-testid': 'reputation-tree' }, ...[...new Set(roots)].map((root) => branch(root, new Set())));
}

export async function jobPage(api: Api, root: HTMLElement, id: string): Promise<void> {
  const jobId = BigInt(id);
  const [job, nodes, stats, requested] = await Promise.all([
    queryJob(api.comet, jobId),
    queryJobNodes(api.comet, jobId),
    queryJobStats(api.comet, jobId),
    searchTxs(api, `ain.jobs.v1.EventJobRequested.job_id=${id}`, 20),
  ]);
  const ids = requested.flatMap((tx) => attributeValues(tx, 'ain.jobs.v1.EventJobRequested', 'request_id'));
  const requests = await Promise.all(ids.map((r) => queryJobRequest(api.comet, BigInt(r)).then((a) => a.request)));
  const j = job.job;
  const s = stats.job;
  show(
    root,
    section(
      `Job ${j.id}: ${j.name}`,
      facts(
        [
          ['Admin', link(`account/${j.admin}`, j.admin)],
          ['Runtime', j.runtime],
          ['Resources', `${j.resources?.cpu ?? 0} CPU, ${j.resources?.memoryMb ?? 0n} MB, ${j.resources?.gpus ?? 0} GPU`],
          ['Description', j.description || '-'],
          ['Requests (completed)', `${s?.requests ?? 0n} (${s?.completed ?? 0n})`],
          ['Paid to workers / evaluators', `${uain(s?.paidWorkers ?? '')} / ${uain(s?.paidEvaluators ?? '')}`],
        ],
        'job-facts',
      ),
    ),
    section('Reputation tree (Elo ratings)', tree(nodes.nodes)),
    section('Requests', requestRows(requests, 'job-requests')),
  );
}

export async function requestPage(api: Api, root: HTMLElement, id: string): Promise<void> {
  const { request: r } = await queryJobRequest(api.comet, BigInt(id));
  show(
    root,
    section(
      `Request ${r.id} of job ${r.jobId}`,
      facts(
        [
          ['Client', link(`account/${r.client}`, r.client)],
          ['Status', h('strong', { 'data-testid': 'request-status' }, r.status)],
          ['Outcome', r.outcome || '-'],
          ['Worker / evaluator reward', `${uain(r.workerReward)} / ${uain(r.evaluatorReward)}`],
          ['Escrow now', uain(r.escrow)],
          ['Evaluator', r.evaluator || '-'],
        ],
        'request-facts',
      ),
    ),
    section(
      'Phases',
      table(
        ['Phase', 'Block time'],
        [
          ['requested', at(r.requestedAt)],
          ['accepted by an evaluator', at(r.acceptedAt)],
          ['ranked', at(r.rankedAt)],
          ['settled', at(r.settledAt)],
          [`current deadline (${r.status})`, at(r.deadline)],
        ],
        'request-phases',
      ),
    ),
    section(
      'Results and payouts',
      table(
        ['Worker', 'Rank', 'Output (or its hash in Big Storage)', 'Paid'],
        r.results.map((w) => [
          link(`account/${w.worker}`, short(w.worker)),
          r.ranking.indexOf(w.worker) >= 0 ? r.ranking.indexOf(w.worker) + 1 : '-',
          w.output ? (w.output.length > 60 ? `${w.output.slice(0, 60)}…` : w.output) : short(w.outputHash),
          uain(w.paid),
        ]),
        'request-results',
      ),
    ),
  );
}
