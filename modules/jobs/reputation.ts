/**
 * A job's reputation tree: registering a job (its signer becomes the root admin), nodes applying for
 * roles, admins approving and dropping them (rate-limited per admin and window of block time), the
 * check that a node holds a role, the search for an admin above a node to resolve a challenge, and
 * the Elo ratings a final ranking updates.
 */
import { ainError, encodeRecord } from '../../core/index.ts';
import type { ReadableState } from '../../core/index.ts';
import type { MsgApplyJob, MsgApproveNode, MsgDropNode, MsgRegisterJob } from '../../proto/gen/ain/jobs/v1/tx.ts';
import { INITIAL_RATING, updateRatings } from './elo.ts';
import { ErrAlreadyDone, ErrDelegation, ErrNodeDropped, ErrNotMember, ErrRateLimited, ErrUnauthorized } from './errors.ts';
import { jobRegisteredEvent, nodeAppliedEvent, nodeApprovedEvent, nodeDroppedEvent } from './events.ts';
import { jobSpecPath, jobStatsPath, NEXT_JOB_ID_PATH, ratePath } from './keys.ts';
import { validateMsgRegisterJob } from './msgs.ts';
import { type JobsParams, MAX_TREE_DEPTH_BOUND, readJobsParams } from './params.ts';
import {
  bump,
  emptyJobStats,
  emptyStats,
  getStoredNode,
  type JobsContext,
  nextId,
  putNode,
  type RateRecord,
  ROLE_NAMES,
  type RoleName,
  readRecord,
  requireJob,
  roleName,
  type StoredJob,
  type StoredNode,
  type StoredRequest,
  type StoredResult,
} from './records.ts';

/** MsgRegisterJob: stores the job; the signer becomes its root admin (depth 0). Returns the job id. */
export function registerJob(ctx: JobsContext, msg: MsgRegisterJob): bigint {
  const { worker, evaluator } = validateMsgRegisterJob(msg);
  const params = readJobsParams(ctx.state);
  const adminDepth = msg.delegation?.adminDepth ?? 0;
  const maxChildren = msg.delegation?.maxChildren ?? 0;
  if (adminDepth > params.maxTreeDepth)
    throw ainError(ErrDelegation, `delegation.admin_depth ${adminDepth} exceeds the chain's max_tree_depth ${params.maxTreeDepth}`);
  if (maxChildren > params.maxChildrenPerAdmin)
    throw ainError(
      ErrDelegation,
      `delegation.max_children ${maxChildren} exceeds the chain's max_children_per_admin ${params.maxChildrenPerAdmin}`,
    );
  const id = nextId(ctx, NEXT_JOB_ID_PATH);
  const job: StoredJob = {
    id,
    name: msg.name,
    admin: msg.signer,
    schema: msg.schema,
    workerRpc: `${worker.service}.${worker.name}`,
    evaluatorRpc: `${evaluator.service}.${evaluator.name}`,
    inputType: worker.inputs[0]!,
    outputType: worker.output,
    workerCodeHash: msg.workerCodeHash,
    evaluatorCodeHash: msg.evaluatorCodeHash,
    runtime: msg.runtime,
    resources: {
      cpu: msg.resources?.cpu ?? 0,
      memoryMb: msg.resources?.memoryMb ?? 0n,
      gpus: msg.resources?.gpus ?? 0,
      gpuMemoryMb: msg.resources?.gpuMemoryMb ?? 0n,
    },
    delegation: { adminDepth, maxChildren },
    description: msg.description,
    registeredAt: ctx.blockTimeSeconds,
    height: ctx.height,
    ...(msg.requires.length > 0 ? { requires: [...msg.requires] } : {}),
  };
  ctx.state.set(jobSpecPath(id), encodeRecord(job));
  ctx.state.set(jobStatsPath(id), encodeRecord(emptyJobStats()));
  putNode(ctx, id, {
    address: msg.signer,
    roles: ['admin'],
    applied: [],
    parent: '',
    depth: 0,
    status: 'approved',
    children: 0,
    rating: INITIAL_RATING,
    stats: emptyStats(),
  });
  ctx.events.emit(
    jobRegisteredEvent({
      jobId: id,
      admin: msg.signer,
      name: msg.name,
      runtime: msg.runtime,
      workerCodeHash: msg.workerCodeHash,
      evaluatorCodeHash: msg.evaluatorCodeHash,
    }),
  );
  return id;
}

/** MsgApplyJob: records the signer's application for a role (its node record is created on first apply). */
export function applyJob(ctx: JobsContext, msg: MsgApplyJob): void {
  const job = requireJob(ctx.state, msg.jobId);
  const role = roleName(msg.role);
  if (role === 'admin' && job.delegation.adminDepth === 0)
    throw ainError(ErrDelegation, `job ${job.id} is centralized (delegation.admin_depth 0): only its root admin is an admin`);
  const node = getStoredNode(ctx.state, job.id, msg.signer) ?? {
    address: msg.signer,
    roles: [],
    applied: [],
    parent: '',
    depth: 0,
    status: 'applied' as const,
    children: 0,
    rating: INITIAL_RATING,
    stats: emptyStats(),
  };
  if (node.status === 'dropped') throw ainError(ErrNodeDropped, `${msg.signer} was dropped from job ${job.id}`);
  if (node.roles.includes(role)) throw ainError(ErrAlreadyDone, `${msg.signer} already is ${role} of job ${job.id}`);
  if (node.applied.includes(role)) throw ainError(ErrAlreadyDone, `${msg.signer} already applied as ${role} of job ${job.id}`);
  node.applied = ROLE_NAMES.filter((r) => r === role || node.applied.includes(r));
  putNode(ctx, job.id, node);
  ctx.events.emit(nodeAppliedEvent({ jobId: job.id, node: msg.signer, role }));
}

/**
 * MsgApproveNode: an approved admin of the job approves a role the node applied for. A node's
 * first approval makes it the admin's child (depth + 1); later roles come from the same parent;
 * an admin may approve its own application for evaluator or worker. Rate-limited per admin.
 */
export function approveNode(ctx: JobsContext, msg: MsgApproveNode): void {
  const job = requireJob(ctx.state, msg.jobId);
  const params = readJobsParams(ctx.state);
  const admin = requireRole(ctx.state, job.id, msg.signer, 'admin', 'signer');
  const role = roleName(msg.role);
  const node = msg.node === msg.signer ? admin : getStoredNode(ctx.state, job.id, msg.node);
  if (!node?.applied.includes(role))
    throw ainError(ErrNotMember, `${msg.node} has not applied as ${role} of job ${job.id}`, { node: msg.node, role });
  if (node.status === 'dropped') throw ainError(ErrNodeDropped, `${msg.node} was dropped from job ${job.id}`);
  const self = msg.node === msg.signer;
  if (self && role === 'admin') throw ainError(ErrUnauthorized, 'an admin cannot approve itself as admin');
  const first = !self && node.status === 'applied';
  if (!self && !first && node.parent !== msg.signer)
    throw ainError(ErrUnauthorized, `${msg.node}'s parent in job ${job.id} is ${node.parent || 'none'}; only it approves more roles`);
  const depth = first ? admin.depth + 1 : node.depth;
  if (first && depth > params.maxTreeDepth)
    throw ainError(ErrDelegation, `${msg.node} would be at depth ${depth}; the tree is at most ${params.maxTreeDepth} deep`);
  if (role === 'admin' && depth > job.delegation.adminDepth)
    throw ainError(
      ErrDelegation,
      `${msg.node} would be an admin at depth ${depth}; job ${job.id} delegates admins down to depth ${job.delegation.adminDepth}`,
    );
  const maxChildren = job.delegation.maxChildren || params.maxChildrenPerAdmin;
  if (first && admin.children >= maxChildren)
    throw ainError(ErrDelegation, `admin ${msg.signer} has ${admin.children} children in job ${job.id}; at most ${maxChildren}`);
  rateLimit(ctx, job.id, msg.signer, 'approvals', params);
  if (first) {
    node.parent = msg.signer;
    node.depth = depth;
    node.status = 'approved';
    admin.children += 1;
  }
  node.roles = ROLE_NAMES.filter((r) => r === role || node.roles.includes(r));
  node.applied = node.applied.filter((r) => r !== role);
  if (!self) putNode(ctx, job.id, admin);
  putNode(ctx, job.id, node);
  bump(ctx, job.id, msg.signer, { counters: { approvals: 1 } });
  ctx.events.emit(nodeApprovedEvent({ jobId: job.id, node: msg.node, role, admin: msg.signer, depth: node.depth }));
}

/**
 * MsgDropNode: an admin drops one of its children. A dropped node accepts and joins no new
 * request of the job (it may finish what it already took on). Rate-limited per admin.
 */
export function dropNode(ctx: JobsContext, msg: MsgDropNode): void {
  const job = requireJob(ctx.state, msg.jobId);
  const params = readJobsParams(ctx.state);
  const admin = requireRole(ctx.state, job.id, msg.signer, 'admin', 'signer');
  const node = getStoredNode(ctx.state, job.id, msg.node);
  if (!node || node.status === 'applied') throw ainError(ErrNotMember, `${msg.node} is not an approved node of job ${job.id}`);
  if (node.status === 'dropped') throw ainError(ErrAlreadyDone, `${msg.node} was already dropped from job ${job.id}`);
  if (node.parent !== msg.signer)
    throw ainError(ErrUnauthorized, `${msg.node}'s parent in job ${job.id} is ${node.parent || 'none (the root)'}; only it drops the node`);
  rateLimit(ctx, job.id, msg.signer, 'drops', params);
  node.status = 'dropped';
  admin.children -= 1;
  putNode(ctx, job.id, admin);
  putNode(ctx, job.id, node);
  bump(ctx, job.id, msg.signer, { counters: { drops: 1 } });
  ctx.events.emit(nodeDroppedEvent({ jobId: job.id, node: msg.node, admin: msg.signer, reason: msg.reason }));
}

/** The node holding `role` in the job, approved and not dropped. */
export function requireRole(state: ReadableState, jobId: bigint, address: string, role: RoleName, field: string): StoredNode {
  const node = getStoredNode(state, jobId, address);
  if (!node?.roles.includes(role))
    throw ainError(ErrNotMember, `${field} ${address} is not an approved ${role} of job ${jobId}`, { field, role });
  if (node.status === 'dropped') throw ainError(ErrNodeDropped, `${field} ${address} was dropped from job ${jobId}`, { field });
  return node;
}

/**
 * The nearest admin above `address` in the job's tree that may resolve a challenge of the request:
 * not dropped, and no party to it (the client, the challenger, the evaluator, a worker that joined).
 */
export function adminAbove(state: ReadableState, request: StoredRequest, address: string, challenger: string): string | undefined {
  const parties = new Set([request.client, challenger, request.evaluator, ...request.joined]);
  let current = getStoredNode(state, request.jobId, address);
  for (let hops = 0; current && current.parent !== '' && hops <= MAX_TREE_DEPTH_BOUND; hops++) {
    const parent = getStoredNode(state, request.jobId, current.parent);
    if (parent && parent.status !== 'dropped' && parent.roles.includes('admin') && !parties.has(parent.address)) return parent.address;
    current = parent;
  }
  return undefined;
}

/** Approvals and drops per admin per job: at most the param's count in each rate window of block time. */
function rateLimit(ctx: JobsContext, jobId: bigint, admin: string, kind: 'approvals' | 'drops', params: JobsParams): void {
  const window = ctx.blockTimeSeconds / params.rateWindow;
  const stored = readRecord<RateRecord>(ctx.state, ratePath(jobId, admin));
  const record: RateRecord = stored?.window === window ? stored : { window, approvals: 0, drops: 0 };
  const max = kind === 'approvals' ? params.maxApprovals : params.maxDrops;
  if (record[kind] >= max)
    throw ainError(
      ErrRateLimited,
      `${admin} made ${record[kind]} ${kind} in job ${jobId} since block time ${window * params.rateWindow}; at most ${max} per ${params.rateWindow} s, next from ${(window + 1n) * params.rateWindow}`,
      { admin, kind },
    );
  record[kind] += 1;
  ctx.state.set(ratePath(jobId, admin), encodeRecord(record));
}

/** Elo: the ranked workers by place, then those that revealed but were left out, tied last. */
export function rate(ctx: JobsContext, request: StoredRequest, ranking: readonly string[], results: readonly StoredResult[]): void {
  const unranked = results.filter((r) => r.revealedAt !== 0n && !ranking.includes(r.worker)).map((r) => r.worker);
  const players = [...ranking, ...unranked];
  const nodes = players.map((worker) => getStoredNode(ctx.state, request.jobId, worker)!);
  const places = players.map((_, i) => Math.min(i, ranking.length));
  const ratings = updateRatings(
    nodes.map((n) => n.rating),
    places,
  );
  nodes.forEach((node, i) => {
    node.rating = ratings[i]!;
    putNode(ctx, request.jobId, node);
  });
}
