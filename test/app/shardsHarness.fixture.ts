/**
 * Two (or more) chains in one process for the shards app tests: each a real AinApplication on lmdb
 * driven through CheckTx, FinalizeBlock and Commit, with what CometBFT would add around it made here:
 * a CometBFT v0.38 header per block (chain id, height, time, the previous block id, validator set
 * hashes, the app hash of the state after the previous block) and a commit signed with the chain's
 * ed25519 validator keys. A relayer's work is then a function call: take a signed header of one
 * chain and report it on the other. Validator sets can change at a height, and any header can be
 * re-signed with changes to forge what a dishonest relayer or a double-signing chain would send.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  CheckTxType,
  type ExecTxResult,
  RequestFinalizeBlock,
  RequestInitChain,
  type ResponseFinalizeBlock,
} from 'cosmjs-types/tendermint/abci/types';
import { type BlockID, type Commit, type CommitSig, type Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { AinApplication } from '../../app/application.ts';
import type { AppState } from '../../app/genesis.ts';
import { encodeValue } from '../../tree/index.ts';
import { encodeProof } from '../../tree/index.ts';
import { commitSignBytes, headerHash, validatorSetHash, validatorSetOf } from '../../modules/shards/index.ts';
import { openCommittedState, type CommittedState } from '../../tree/lmdb/index.ts';
import { sendMsg, signTx, type TestKey } from '../helpers/tx.ts';

export const GAS = 2_000_000n;
export const FEE = (GAS * 25n) / 1000n;

/** An ed25519 consensus key from a label (seed = sha256 of it). */
export interface ConsensusKey {
  readonly seed: Uint8Array;
  readonly pubKey: Uint8Array;
  readonly power: bigint;
}

export function consensusKey(label: string, power = 100n): ConsensusKey {
  const seed = createHash('sha256').update(`ain-consensus-key/${label}`).digest();
  return { seed: new Uint8Array(seed), pubKey: ed25519.getPublicKey(seed), power };
}

export const setOf = (keys: readonly ConsensusKey[]): ValidatorSet =>
  validatorSetOf(keys.map((k) => ({ pubKey: k.pubKey, power: k.power, operator: '' })));

const empty = () => new Uint8Array();
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const jsonBigint = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
const NO_BLOCK: BlockID = { hash: empty(), partSetHeader: { total: 0, hash: empty() } };

export interface Chain {
  readonly chainId: string;
  readonly app: AinApplication;
  readonly store: CommittedState;
  height(): bigint;
  time(): bigint;
  /**
   * One block with these txs (each signed by its key), `seconds` after the last one. With `twins`,
   * `mismatches` lists where the twin or the reference disagreed with this app (empty: none).
   */
  block(
    txs: ReadonlyArray<readonly [TestKey, readonly Any[]]>,
    seconds?: bigint,
  ): ResponseFinalizeBlock & { results: ExecTxResult[]; mismatches: string[] };
  send(key: TestKey, messages: readonly Any[], seconds?: bigint): ExecTxResult;
  /** From `height` on, blocks are signed by `keys` (the header before names them as next validators). */
  changeValidators(keys: readonly ConsensusKey[], height: bigint): void;
  validatorSet(height: bigint): ValidatorSet;
  /** The header of a finalized block (its app hash: the state after the block before). */
  header(height: bigint): Header;
  /** That header with a commit signed by its validators (or by `signers`, with `change` applied to the header first). */
  signedHeader(height: bigint, options?: { change?: Partial<Header>; signers?: readonly ConsensusKey[]; signed?: number }): SignedHeader;
  /** A leaf of the committed state after block `height`, with its Merkle proof. */
  prove(path: string, height: bigint): { value: string; proof: Uint8Array };
  query<T>(path: string, request: Uint8Array, decode: (bytes: Uint8Array) => T): T;
  queryFailure(path: string, request: Uint8Array): string;
  balance(address: string, denom?: string): bigint;
  get(path: string): unknown;
  close(): Promise<void>;
}

/** An app on its own lmdb store, initialised from `appState`. */
function openApp(dir: string, file: string, chainId: string, appState: AppState, time: bigint) {
  const store = openCommittedState(join(dir, file), { keepRecent: 0 });
  const app = new AinApplication(store);
  const init = app.initChain(
    RequestInitChain.fromPartial({
      chainId,
      initialHeight: 1n,
      time: { seconds: time, nanos: 0 },
      appStateBytes: Buffer.from(JSON.stringify(appState)),
    }),
  );
  return { store, app, init };
}

/**
 * Starts a chain from `appState` at `time`, signed by `validators`; block 1 is committed at time + 1.
 * `twins` (as `fuzzChain.fixture.ts` does for one chain): a twin app gets the same blocks without
 * CheckTx (same results and app hash: determinism), and a reference app gets each block with every
 * failed tx that passed the ante replaced by one that only pays the same fee at the same sequence
 * (same app hash: a failed tx changes nothing but its fee and sequence).
 */
export function startChain(
  chainId: string,
  appState: AppState,
  validators: readonly ConsensusKey[],
  time: bigint,
  options: { twins?: boolean } = {},
): Chain {
  const dir = mkdtempSync(join(tmpdir(), `ain-${chainId}-`));
  const { store, app, init } = openApp(dir, 'app.lmdb', chainId, appState, time);
  const twin = options.twins ? openApp(dir, 'twin.lmdb', chainId, appState, time) : undefined;
  const reference = options.twins ? openApp(dir, 'reference.lmdb', chainId, appState, time) : undefined;
  let height = 0n;
  let now = time;
  const times = new Map<bigint, bigint>();
  /** appHashes[h]: the root after block h (h = 0: after InitChain). */
  const appHashes = new Map<bigint, Uint8Array>([[0n, init.appHash]]);
  const sets: Array<{ from: bigint; keys: readonly ConsensusKey[] }> = [{ from: 1n, keys: validators }];
  const keysAt = (h: bigint) => sets.filter((s) => s.from <= h).at(-1)!.keys;
  const headers = new Map<bigint, Header>();
  const readNumber = (path: string): bigint => {
    const value = store.get(path);
    return typeof value === 'string' ? BigInt(value) : 0n;
  };

  const chain: Chain = {
    chainId,
    app,
    store,
    height: () => height,
    time: () => now,
    block(txs, seconds = 1n) {
      const next = new Map<string, bigint>();
      const sign = (key: TestKey, messages: readonly Any[], sequence: bigint) =>
        signTx({
          key,
          messages,
          chainId,
          accountNumber: readNumber(`/accounts/${key.address}/number`),
          sequence,
          gasLimit: GAS,
          fee: [{ denom: 'uain', amount: FEE.toString() }],
        });
      const sequences: bigint[] = [];
      const encoded = txs.map(([key, messages]) => {
        const sequence = next.get(key.address) ?? readNumber(`/accounts/${key.address}/sequence`);
        next.set(key.address, sequence + 1n);
        sequences.push(sequence);
        const tx = sign(key, messages, sequence);
        app.checkTx({ tx, type: CheckTxType.NEW });
        return tx;
      });
      height += 1n;
      now += seconds;
      times.set(height, now);
      const request = (blockTxs: Uint8Array[]) =>
        RequestFinalizeBlock.fromPartial({ txs: blockTxs, height, time: { seconds: now, nanos: 0 } });
      const response = app.finalizeBlock(request(encoded));
      app.commit();
      appHashes.set(height, response.appHash);
      const mismatches: string[] = [];
      if (twin && reference) {
        const twinResponse = twin.app.finalizeBlock(request(encoded));
        twin.app.commit();
        if (JSON.stringify(twinResponse.txResults, jsonBigint) !== JSON.stringify(response.txResults, jsonBigint))
          mismatches.push(`${chainId} height ${height}: the twin's results differ`);
        if (hexOf(twinResponse.appHash) !== hexOf(response.appHash))
          mismatches.push(`${chainId} height ${height}: the twin's app hash differs`);
        // A tx passed the ante when its sequence is below the key's sequence after the block.
        const referenceTxs = encoded.flatMap((tx, i) => {
          const [key] = txs[i]!;
          if (response.txResults[i]!.code === 0) return [tx];
          if (sequences[i]! >= readNumber(`/accounts/${key.address}/sequence`)) return [];
          return [sign(key, [sendMsg(key.address, key.address, (10n ** 30n).toString())], sequences[i]!)];
        });
        const referenceResponse = reference.app.finalizeBlock(request(referenceTxs));
        reference.app.commit();
        if (hexOf(referenceResponse.appHash) !== hexOf(response.appHash))
          mismatches.push(`${chainId} height ${height}: a failed tx changed more than its fee and sequence`);
      }
      return Object.assign(response, { results: response.txResults, mismatches });
    },
    send: (key, messages, seconds = 1n) => chain.block([[key, messages]], seconds).results[0]!,
    changeValidators(keys, from) {
      sets.push({ from, keys });
    },
    validatorSet: (h) => setOf(keysAt(h)),
    header(h) {
      const cached = headers.get(h);
      if (cached) return cached;
      if (!times.has(h)) throw new Error(`${chainId} has no block ${h} yet (at ${height})`);
      const set = setOf(keysAt(h));
      const header: Header = {
        version: { block: 11n, app: 0n },
        chainId,
        height: h,
        time: { seconds: times.get(h)!, nanos: 0 },
        lastBlockId:
          h === 1n ? NO_BLOCK : { hash: headerHash(chain.header(h - 1n)), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(1) } },
        lastCommitHash: h === 1n ? empty() : new Uint8Array(32).fill(2),
        dataHash: new Uint8Array(32).fill(3),
        validatorsHash: validatorSetHash(set.validators),
        nextValidatorsHash: validatorSetHash(setOf(keysAt(h + 1n)).validators),
        consensusHash: new Uint8Array(32).fill(4),
        appHash: appHashes.get(h - 1n)!,
        lastResultsHash: new Uint8Array(32).fill(5),
        evidenceHash: empty(),
        proposerAddress: set.validators[0]!.address,
      };
      headers.set(h, header);
      return header;
    },
    signedHeader(h, options = {}) {
      const header = { ...chain.header(h), ...options.change };
      const signers = options.signers ?? keysAt(h);
      const set = setOf(signers);
      const byAddress = new Map(signers.map((k) => [Buffer.from(setOf([k]).validators[0]!.address).toString('hex'), k]));
      const commit: Commit = {
        height: header.height,
        round: 0,
        blockId: { hash: headerHash(header), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(6) } },
        signatures: set.validators.map(
          (v): CommitSig => ({
            blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
            validatorAddress: v.address,
            timestamp: { seconds: header.time.seconds, nanos: 500_000_000 },
            signature: empty(),
          }),
        ),
      };
      commit.signatures.forEach((sig, i) => {
        if (options.signed !== undefined && i >= options.signed) {
          commit.signatures[i] = {
            blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
            validatorAddress: empty(),
            timestamp: { seconds: 0n, nanos: 0 },
            signature: empty(),
          };
          return;
        }
        const key = byAddress.get(Buffer.from(sig.validatorAddress).toString('hex'))!;
        sig.signature = ed25519.sign(commitSignBytes(header.chainId, commit, i), key.seed);
      });
      return SignedHeader.fromPartial({ header, commit });
    },
    prove(path, h) {
      const leaf = store.getAt(path, h);
      return { value: leaf === undefined ? 'null' : JSON.stringify(leaf), proof: encodeProof(store.proveAt(path, h)) };
    },
    query(path, request, decode) {
      const response = app.query({ path, data: request, height: 0n, prove: false });
      if (response.code !== 0) throw new Error(`query ${path}: ${response.codespace}/${response.code} ${response.log}`);
      return decode(response.value);
    },
    queryFailure(path, request) {
      const response = app.query({ path, data: request, height: 0n, prove: false });
      return `${response.codespace}/${response.code}`;
    },
    balance(address, denom = 'uain') {
      const value = store.get(`/accounts/${address}/balance/${denom.replaceAll('/', '%2F')}`);
      return typeof value === 'string' ? BigInt(value) : 0n;
    },
    get(path) {
      return store.get(path);
    },
    async close() {
      await store.close();
      await twin?.store.close();
      await reference?.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  chain.block([]);
  return chain;
}

/** The protobuf bytes of a signed header and of a validator set, as MsgReport carries them. */
export const signedHeaderBytes = (signed: SignedHeader): Uint8Array => SignedHeader.encode(signed).finish();
export const validatorSetBytes = (set: ValidatorSet): Uint8Array => ValidatorSet.encode(set).finish();
export { encodeValue };
