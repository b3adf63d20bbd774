/**
 * The shapes of the triggers module's leaves, which InitChain checks in exported genesis leaves: the
 * end of each block reads the pending index and refunds each expired call's price from the triggers
 * account, so a hand-edited call record, index entry or escrow that is not what the keeper writes would
 * throw there and halt the chain. A call's shape is the JSON of `StoredCall` (the compile-time check
 * below keeps the two the same); an executor's is what `executorRecord` writes, checked as
 * MsgRegisterExecutor is.
 */
import { z } from 'zod';
import {
  AinError,
  ainError,
  checkLeafKinds,
  ErrInvalidRequest,
  type LeafKind,
  leafShapes,
  type SubtreeLeaves,
  type SameType,
  checkIndexEntries,
} from '../../core/index.ts';
import { MsgRegisterExecutor } from '../../proto/gen/ain/triggers/v1/tx.ts';
import type { StoredCall } from './keeper.ts';
import { callPath, executorPath, NEXT_CALL_ID_PATH, PENDING_ROOT, pendingPath } from './keys.ts';
import { validateMsgRegisterExecutor } from './msgs.ts';

const { uint, count, flag, address } = leafShapes;
type Status = StoredCall['status'];

const call = z.strictObject({
  id: uint,
  function_path: z.string(),
  function_id: z.string(),
  trigger_path: z.string(),
  value: z.string(),
  caller: address,
  price: uint,
  height: uint,
  deadline_height: uint,
  output_path: z.string(),
  executors: z.union([z.literal('any'), z.array(address)]),
  network: z.boolean(),
  runtime: z.string(),
  code_hash: z.string(),
  status: z.enum(['pending', 'done', 'failed', 'expired'] as [Status, ...Status[]]),
  executor: address.exactOptional(),
  error: z.string().exactOptional(),
});

const executor = z.strictObject({
  address,
  runtimes: z.array(z.string()),
  cpu: count,
  memory_mb: uint,
  gpus: count,
  gpu_memory_mb: uint,
  price: uint,
  runtime_info: z
    .array(
      z.strictObject({
        name: z.string(),
        kind: z.string(),
        version: z.string(),
        packages: z.array(z.strictObject({ name: z.string(), version: z.string() })),
        cuda: z.boolean(),
      }),
    )
    .exactOptional(),
});

// A field added to StoredCall and not here (or the other way round) fails to compile.
const shapeMatchesRecord: SameType<z.infer<typeof call>, StoredCall> = true;
void shapeMatchesRecord;

const TRIGGERS_LEAVES: readonly LeafKind[] = [
  { path: NEXT_CALL_ID_PATH, schema: uint },
  { path: '/triggers/calls/*', schema: call, record: true },
  { path: '/triggers/pending/*/*', schema: flag },
  { path: '/triggers/executors/*', schema: executor, record: true },
];

const FIELD = 'genesis triggers.leaves';
const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);

/**
 * Checks the triggers leaves of a genesis against the shapes the keeper writes, then their money and
 * index as the keeper keeps them: each record under its own key; one pending entry per pending call,
 * at its deadline height, and none else; the pending calls' prices add up to the triggers account's
 * balance (`escrowBalance`); each executor as MsgRegisterExecutor would have registered it.
 * @throws AinError sdk/18 naming the leaf and the field, or the sum that differs
 */
export function checkTriggersLeaves(leaves: SubtreeLeaves, escrowBalance: bigint): void {
  checkLeafKinds(leaves, TRIGGERS_LEAVES, FIELD);
  let escrowSum = 0n;
  const pending = new Set<string>();
  for (const [path, value] of Object.entries(leaves)) {
    const labels = path.split('/');
    if (labels.length !== 4) continue;
    if (labels[2] === 'executors') {
      const record = JSON.parse(value as string) as z.infer<typeof executor>;
      if (executorPath(record.address) !== path) throw refuse(path, `has address ${record.address}; expected ${labels[3]}`);
      checkExecutor(path, record);
    }
    if (labels[2] !== 'calls') continue;
    const record = JSON.parse(value as string) as StoredCall;
    if (callPath(BigInt(record.id)) !== path) throw refuse(path, `has id ${record.id}; expected ${labels[3]}`);
    if (record.status !== 'pending') continue;
    escrowSum += BigInt(record.price);
    pending.add(pendingPath(BigInt(record.deadline_height), BigInt(record.id)));
  }
  if (escrowBalance !== escrowSum)
    throw ainError(
      ErrInvalidRequest,
      `${FIELD}: the triggers account holds ${escrowBalance}uain; the pending calls' prices add up to ${escrowSum}uain`,
    );
  checkIndexEntries(leaves, [PENDING_ROOT], pending, FIELD, {
    stray: 'is not the pending entry of a pending call',
    missing: 'the pending entry of a pending call',
  });
}

/** An executor record must be one MsgRegisterExecutor could have written. */
function checkExecutor(path: string, record: z.infer<typeof executor>): void {
  const msg = MsgRegisterExecutor.fromPartial({
    signer: record.address,
    runtimes: record.runtimes,
    cpu: record.cpu,
    memoryMb: BigInt(record.memory_mb),
    gpus: record.gpus,
    gpuMemoryMb: BigInt(record.gpu_memory_mb),
    price: record.price,
    runtimeInfo: record.runtime_info ?? [],
  });
  try {
    validateMsgRegisterExecutor(msg);
  } catch (error) {
    if (!(error instanceof AinError)) throw error;
    throw refuse(path, `is not an executor as MsgRegisterExecutor registers one: ${error.message}`);
  }
}
