/**
 * Property tests of what the executor daemon reads from operators, machines, the chain and programs:
 * executor.toml and `--runtime`, nvidia-smi's csv, a runtime probe's packages, program outputs turned
 * into MsgSubmitResults, `ain-contract` headers, and encrypted blobs. Each malformed input is refused
 * with the documented error naming the field (or left out where the docs say so); whatever is accepted
 * is what the chain takes (its validateBasic, its uint64s).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AinClient } from '../client/index.ts';
import { contractBodyHash } from '../client/index.ts';
import { AinError, MAX_RUNTIME_PACKAGES, normalizePackageName, pubkeyToAddress } from '../core/index.ts';
import { signContractRequest } from '../modules/channels/index.ts';
import { PACKAGE_NAME, PACKAGE_VERSION, validateMsgSubmitResults } from '../modules/triggers/index.ts';
import { ContractStatus } from '../proto/gen/ain/channels/v1/contracts.ts';
import { QueryContractRequest, QueryContractResponse } from '../proto/gen/ain/channels/v1/query.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';
import { type MsgSubmitResults, MsgRegisterExecutor, MsgSubmitResultsResponse } from '../proto/gen/ain/triggers/v1/tx.ts';
import { decryptStream, encryptStream, ErrStorageDecrypt } from '../storage/index.ts';
import { parseExecutorConfig, parseRuntimeFlag } from './config.ts';
import { ContractDesk } from './contracts.ts';
import { parseNvidiaSmi } from './gpus.ts';
import { CallLedger } from './ledger.ts';
import { registrablePackages } from './probe.ts';
import { ResultBatcher } from './results.ts';
import { checkRuntimeSpec } from './runtimes.ts';
import { selfRecord } from './serving.ts';

const UINT64_MAX = 2n ** 64n - 1n;

/** The error `fn` throws (undefined when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

const isExecutorError = (error: unknown, code: number): boolean =>
  error instanceof AinError && error.codespace === 'executor' && error.code === code;

describe('executor.toml and --runtime', () => {
  // Lines near the accepted grammar: headers, the three keys, values of each shape, comments, noise.
  const quoted = fc.oneof(
    fc.constantFrom('"/opt/py/bin/python3"', "'/usr/bin/node'", '"python3"', '"/x/ruby"', '"node"', '"python"', '"ruby"', '""'),
    fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
    fc.string({ maxLength: 12 }).map((s) => `'${s}`),
  );
  const value = fc.oneof(
    quoted,
    fc.array(quoted, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc.string({ maxLength: 10 }),
  );
  const line = fc.oneof(
    fc.constantFrom('[runtimes.torch]', '[ runtimes.js ]', '[runtimes.Torch]', '[runtimes]', '[other.x]', '[runtimes.a.b]', '# note', ''),
    fc.stringMatching(/^[a-z0-9_-]{1,40}$/).map((name) => `[runtimes.${name}]`),
    fc
      .tuple(fc.constantFrom('command', 'kind', 'read_only', 'other', 'Command'), value, fc.constantFrom('', ' # c', ' x'))
      .map(([key, v, tail]) => `${key} = ${v}${tail}`),
    fc.string({ maxLength: 20 }),
  );

  it('reads a config whose runtimes all pass checkRuntimeSpec, or refuses it with executor/1 naming the file', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        let config: ReturnType<typeof parseExecutorConfig> | undefined;
        const error = thrown(() => {
          config = parseExecutorConfig(lines.join(eol), 'executor.toml');
        });
        if (error !== undefined) {
          expect(isExecutorError(error, 1), String(error)).toBe(true);
          expect((error as Error).message).toMatch(/^executor\.toml[:]/);
          return;
        }
        const names = config!.runtimes.map((r) => r.name);
        expect(new Set(names).size).toBe(names.length);
        for (const spec of config!.runtimes) checkRuntimeSpec(spec);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('parses --runtime NAME=PATH into a checked spec or refuses it with executor/1', () => {
    const flag = fc.oneof(
      fc
        .tuple(
          fc.stringMatching(/^[a-z][a-z0-9_-]{0,34}$/),
          fc.constantFrom('/opt/bin/python3.12', '/usr/bin/nodejs', 'python3', '/x/ruby'),
        )
        .map(([name, path]) => `${name}=${path}`),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(flag, (text) => {
        const error = thrown(() => checkRuntimeSpec(parseRuntimeFlag(text)));
        if (error !== undefined) expect(isExecutorError(error, 1), String(error)).toBe(true);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });
});

describe("what the machine reports: nvidia-smi's csv and the runtime probe", () => {
  const field = fc.oneof(
    fc.constantFrom('0', '1', '-1', '7abc', '[N/A]', '15360 MiB', '-5 MiB', '99999999999999999999 MiB', 'GPU-aa', 'Tesla T4', ''),
    fc.string({ maxLength: 8 }),
  );
  const smiLine = fc.array(field, { minLength: 0, maxLength: 8 }).map((fields) => fields.join(', '));

  it('parses any nvidia-smi text into GPUs whose numbers a registration encodes as uint64', () => {
    fc.assert(
      fc.property(fc.array(smiLine, { maxLength: 6 }), (lines) => {
        const gpus = parseNvidiaSmi(lines.join('\n'));
        for (const gpu of gpus) {
          expect(Number.isSafeInteger(gpu.index) && gpu.index >= 0).toBe(true);
          expect(Number.isSafeInteger(gpu.memoryMiB) && gpu.memoryMiB >= 0).toBe(true);
        }
        const self = selfRecord({ address: 'ain1x', runtimeInfo: [], cpus: 1, memoryMb: 1024, gpus, price: '0' });
        MsgRegisterExecutor.encode({ signer: 'ain1x', ...self, runtimes: ['node'] });
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("keeps of a probe's packages only distinct [name, version] strings the chain reads, at most its bound", () => {
    const entry = fc.oneof(
      fc.tuple(
        fc.constantFrom('numpy', 'NumPy', 'torch', 'zope.interface', 'bad name', '', '-x'),
        fc.constantFrom('1.0', '2.4.0+cu121', '', 'x y'),
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (found) => {
        const { packages } = registrablePackages(found);
        const names = packages.map((p) => p.name);
        expect(new Set(names).size).toBe(names.length);
        expect(packages.length).toBeLessThanOrEqual(MAX_RUNTIME_PACKAGES);
        for (const p of packages) {
          expect(PACKAGE_NAME.test(p.name) && PACKAGE_VERSION.test(p.version)).toBe(true);
          expect(p.name).toBe(normalizePackageName(p.name));
        }
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});

describe('program outputs into MsgSubmitResults', () => {
  const executor = pubkeyToAddress(new Uint8Array(33).fill(2));
  const output = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 40 }),
    fc.integer({ min: 16_000, max: 40_000 }).map((n) => JSON.stringify('é'.repeat(n / 2))),
    fc.constant(''),
  );
  const run = fc.record({
    failed: fc.boolean(),
    output: fc.option(output, { nil: undefined }),
    error: fc.option(fc.oneof(fc.string({ maxLength: 2000, unit: 'grapheme' }), fc.string({ maxLength: 3000 })), { nil: undefined }),
  });

  it('sends every result in txs that pass the chain validateBasic, and settles every call', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(run, { minLength: 1, maxLength: 8 }), async (runs) => {
        const sent: MsgSubmitResults[] = [];
        const client = {
          address: executor,
          signAndBroadcast: async (messages: { value: MsgSubmitResults }[]) => {
            const msg = messages[0]!.value;
            validateMsgSubmitResults(msg);
            sent.push(msg);
            return {
              msgResponses: [
                { value: MsgSubmitResultsResponse.encode({ accepted: msg.results.map((r) => r.callId), skipped: [] }).finish() },
              ],
              events: [],
              transactionHash: 'AB',
            };
          },
        } as unknown as AinClient;
        const ledger = new CallLedger(undefined, () => {});
        const batcher = new ResultBatcher(client, ledger, () => {});
        await Promise.all(runs.map((r, i) => batcher.submit({ id: BigInt(i + 1) } as Call, r as never)));
        const results = sent.flatMap((m) => m.results);
        expect(results.map((r) => r.callId).sort((a, b) => Number(a - b))).toEqual(runs.map((_, i) => BigInt(i + 1)));
        results.forEach((result) => {
          const r = runs[Number(result.callId) - 1]!;
          // A result keeps its output unless the chain would refuse it; then it is sent as failed.
          if (!r.failed && !result.failed) expect(result.output).toBe(r.output ?? '');
        });
        expect(ledger.outcomes).toHaveLength(runs.length);
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});

describe('ain-contract headers', () => {
  const CHAIN = 'ain-fuzz-contracts';
  const clientKey = new Uint8Array(32).fill(5);
  const executorKey = new Uint8Array(32).fill(6);
  const executor = pubkeyToAddress(secp256k1.getPublicKey(executorKey, true));
  const NOW = 1_000_000n;
  const cometClient = {
    abciQuery: async ({ data }: { data: Uint8Array }) => {
      const { contractId } = QueryContractRequest.decode(data);
      if (contractId !== 1n && contractId !== 2n)
        return { code: 2, codespace: 'channels', log: 'no contract', value: new Uint8Array(), height: 5 };
      const contract = {
        id: contractId,
        clientPubkey: secp256k1.getPublicKey(clientKey, true),
        executor: contractId === 1n ? executor : 'ain1other',
        startsAt: NOW - 10n,
        endsAt: NOW + 1000n,
        status: ContractStatus.CONTRACT_STATUS_ACTIVE,
      };
      return { code: 0, value: QueryContractResponse.encode(QueryContractResponse.fromPartial({ contract })).finish(), height: 5 };
    },
  };
  const uintText = fc.oneof(
    fc.bigInt({ min: 0n, max: 2n ** 66n }).map(String),
    fc.constantFrom('1', '2', '3', '-1', '1.5', '', '18446744073709551615', '18446744073709551616', '99999999999999999999'),
  );
  const terms = fc.record({ contract_id: uintText, seq: uintText, deadline: fc.bigInt({ min: NOW - 5n, max: NOW + 1005n }).map(String) });
  const header = fc.oneof(
    // Signed by the contract's client over these very fields (parseable ones), then perhaps damaged.
    fc.tuple(terms, fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('none', 'body', 'signature', 'drop')).map(([t, input, damage]) => {
      const valid = /^[0-9]{1,20}$/;
      const fields = {
        contractId: valid.test(t.contract_id) ? BigInt(t.contract_id) : 0n,
        seq: valid.test(t.seq) ? BigInt(t.seq) : 0n,
        deadline: BigInt(t.deadline),
      };
      const bodyHash = contractBodyHash(input);
      const signature = signContractRequest(clientKey, { chainId: CHAIN, ...fields, bodyHash });
      const json: Record<string, unknown> = {
        ...t,
        body_hash: Buffer.from(damage === 'body' ? contractBodyHash('other') : bodyHash).toString('hex'),
        signature: damage === 'signature' ? 'AAAA' : Buffer.from(signature).toString('base64'),
      };
      if (damage === 'drop') delete json['seq'];
      return { text: JSON.stringify(json), input };
    }),
    fc.jsonValue({ maxDepth: 2 }).map((v) => ({ text: JSON.stringify(v), input: null })),
    fc.string({ maxLength: 30 }).map((text) => ({ text, input: null })),
  );
  const FIELDS = ['ain-contract', 'contract_id', 'seq', 'deadline', 'body_hash', 'signature'];

  it('admits only requests whose ids and times fit uint64; refuses the rest with executor/11 naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(header, { minLength: 1, maxLength: 4 }), async (headers) => {
        const desk = new ContractDesk({
          client: { cometClient: cometClient as never, chainId: CHAIN, address: executor, signAndBroadcast: (async () => {}) as never },
          privkey: executorKey,
          nowSeconds: () => NOW,
          log: () => {},
        });
        for (const { text, input } of headers) {
          try {
            const admitted = await desk.admit(text, input);
            for (const n of [admitted.contractId, admitted.seq, admitted.deadline]) expect(n >= 0n && n <= UINT64_MAX).toBe(true);
            expect(admitted.contractId).toBe(1n);
          } catch (error) {
            expect(isExecutorError(error, 11), String(error)).toBe(true);
            expect(FIELDS).toContain((error as AinError).meta['field']);
          }
        }
      }),
      { seed: 42, numRuns: 600 },
    );
  });
});

describe('encrypted blobs: all or nothing', () => {
  const key = new Uint8Array(32).fill(9);
  const CHUNK = 16;
  /** Sealed in chunks of 16 bytes, so a few dozen bytes make several chunks. */
  const sealed = fc.uint8Array({ maxLength: 80 }).map(async (plain) => {
    const parts: Uint8Array[] = [];
    for await (const part of encryptStream([plain], key, CHUNK)) parts.push(part);
    return { plain, cipher: new Uint8Array(Buffer.concat(parts)) };
  });

  /** What decryptStream yields before it ends or throws, and how it ended. */
  async function decrypt(pieces: Uint8Array[], withKey = key): Promise<{ yielded: Uint8Array; error: unknown }> {
    const out: Uint8Array[] = [];
    try {
      for await (const part of decryptStream(pieces, withKey)) out.push(part);
      return { yielded: new Uint8Array(Buffer.concat(out)), error: undefined };
    } catch (error) {
      return { yielded: new Uint8Array(Buffer.concat(out)), error };
    }
  }

  /** The ciphertext cut into pieces at the given points (any re-chunking of the same bytes). */
  const cut = (bytes: Uint8Array, points: number[]): Uint8Array[] => {
    const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
    const pieces: Uint8Array[] = [];
    let from = 0;
    for (const p of [...at, bytes.length]) {
      pieces.push(bytes.subarray(from, p));
      from = p;
    }
    return pieces;
  };

  it('decrypts the same plaintext however the ciphertext is re-chunked in transit', async () => {
    await fc.assert(
      fc.asyncProperty(sealed, fc.array(fc.nat(), { maxLength: 6 }), async (made, points) => {
        const { plain, cipher } = await made;
        const { yielded, error } = await decrypt(cut(cipher, points));
        expect(error).toBeUndefined();
        expect(Buffer.from(yielded).equals(Buffer.from(plain))).toBe(true);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  const damage = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
    fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
    fc.record({ kind: fc.constant('rechunk' as const), size: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('key' as const) }),
  );

  it('refuses a truncated, bit-flipped, extended, reordered or re-chunked ciphertext with storage/14, yielding only true plaintext', async () => {
    await fc.assert(
      fc.asyncProperty(sealed, damage, fc.array(fc.nat(), { maxLength: 4 }), async (made, change, points) => {
        const { plain, cipher } = await made;
        let bytes = new Uint8Array(cipher);
        let withKey = key;
        const frame = CHUNK + 16;
        const frames = Math.floor((cipher.length - 12 + frame - 1) / frame);
        if (change.kind === 'flip') bytes[change.at % bytes.length]! ^= 1 << change.bit;
        if (change.kind === 'truncate') bytes = bytes.subarray(0, change.at % bytes.length);
        if (change.kind === 'append') bytes = new Uint8Array(Buffer.concat([bytes, change.bytes]));
        if (change.kind === 'key') withKey = new Uint8Array(32).fill(10);
        if (change.kind === 'swap') {
          const [a, b] = [change.a % frames, change.b % frames];
          if (a === b || frames < 2) return;
          const framed = Array.from({ length: frames }, (_, i) => cipher.subarray(12 + i * frame, 12 + (i + 1) * frame));
          [framed[a], framed[b]] = [framed[b]!, framed[a]!];
          bytes = new Uint8Array(Buffer.concat([cipher.subarray(0, 12), ...framed]));
        }
        if (change.kind === 'rechunk') {
          if (change.size === CHUNK) return;
          // The header's chunk size changed, the frames left as they are.
          bytes = new Uint8Array(cipher);
          new DataView(bytes.buffer).setUint32(8, change.size);
        }
        const { yielded, error } = await decrypt(cut(bytes, points), withKey);
        expect(error instanceof AinError && error.is(ErrStorageDecrypt), String(error)).toBe(true);
        // Streamed: whole chunks already authenticated may have come out, and nothing else.
        expect(Buffer.from(plain.subarray(0, yielded.length)).equals(Buffer.from(yielded))).toBe(true);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});
