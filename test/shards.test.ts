/**
 * Sharding end to end on real processes (issue 13): a parent node; `/apps/chat` branched off to a
 * child whose home `aind shard init` writes from the registration; the child node; `aind shard relay`
 * as its own process. Reports flow and the relayer is paid; a child value is proven on the parent by
 * the client library; uain go parent -> child -> parent as vouchers with supply conserved; the
 * relayer is killed and restarted and resumes without reporting a height twice; a change of the
 * child's validator power is followed by the parent; and forged reports are refused with their codes
 * (bad signature, unknown validator, too little power, wrong chain id, outside the trusting period),
 * while a real double-signed header freezes the shard it is reported to. The expired link is then
 * recovered by governance from the proposal file `aind tx shards recovery-proposal` writes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64 } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { ProposalStatus } from 'cosmjs-types/cosmos/gov/v1/gov';
import { QueryProposalRequest, QueryProposalResponse } from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { ed25519 } from '@noble/curves/ed25519.js';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abciQueryOrThrow,
  type AinClient,
  cometRpcClient,
  connectAin,
  proveChildValue,
  queryClientState,
  queryPackets,
  queryShard,
  queryShardValue,
  shardsMsg,
  TxError,
} from '../client/index.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { govAuthority, moduleAddress } from '../core/index.ts';
import { addKey, AIND_SCRIPT, initHome, privValidatorPubkey, REPO_ROOT } from '../home/index.ts';
import { commitSignBytes, headerHash, validatorSetHash, voucherDenom } from '../modules/shards/index.ts';
import { MsgRecoverLink } from '../proto/gen/ain/shards/v1/tx.ts';
import { toValoper } from '../modules/staking/address.ts';
import { branchMessage, DEFAULT_TRUST, fetchUpdate, startRelayer as startLibraryRelayer } from '../relayer/index.ts';
import type { TxResponseJson } from '../cmd/common/index.ts';
import { runAind } from './helpers/cli.ts';
import { freePorts, startHomeNode, startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';

const PARENT_ID = 'ain-parent-e2e';
const CHILD_ID = 'ain-chat-e2e';
const FEE = 100n;
/** Seconds of the parent's voting period. */
const VOTING_PERIOD = 3;

let parent: TestNode;
let child: TestNode;
let childHome: string;
let relayerHome: string;
let alice: AinClient;
let bob: AinClient;
let bobOnChild: AinClient;
let relayer: ChildProcess | undefined;
let relayerLog: string;

const clientOf = async (url: string, account: TestAccount) =>
  connectAin({ rpcUrl: url, signer: await DirectSecp256k1Wallet.fromKey(account.privkey, ADDRESS_PREFIX), broadcastPollIntervalMs: 200 });

function startRelayer(): void {
  const fd = openSync(relayerLog, 'a');
  relayer = spawn(
    process.execPath,
    [
      AIND_SCRIPT,
      'shard',
      'relay',
      '--parent',
      parent.rpcUrl,
      '--child',
      child.rpcUrl,
      '--key',
      'relayer',
      '--home',
      relayerHome,
      '--interval',
      '300',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
}

async function stopRelayer(signal: NodeJS.Signals): Promise<void> {
  const proc = relayer;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill(signal);
  await exited;
}

const reportedHeights = (): bigint[] =>
  [...readFileSync(relayerLog, 'utf8').matchAll(new RegExp(`${CHILD_ID} -> ${PARENT_ID}: reported height (\\d+)`, 'g'))].map((m) =>
    BigInt(m[1]!),
  );

async function balance(node: TestNode, address: string, denom: string): Promise<bigint> {
  const client = await StargateClient.connect(node.rpcUrl);
  try {
    return BigInt((await client.getBalance(address, denom)).amount);
  } finally {
    client.disconnect();
  }
}

const latest = async (shard = 'chat') => (await queryClientState(alice.cometClient, shard)).latest!;

/** The child validator's ed25519 seed, to sign what it never signed (a forger holding its key). */
const childSeed = (): Uint8Array =>
  fromBase64(
    (JSON.parse(readFileSync(join(childHome, 'config', 'priv_validator_key.json'), 'utf8')) as { priv_key: { value: string } }).priv_key
      .value,
  ).slice(0, 32);

async function branch(name: string, fields: { genesisTime: bigint; trustingPeriod?: bigint; accounts?: readonly TestAccount[] }) {
  const msg = await branchMessage(
    { chainId: PARENT_ID, rpc: cometRpcClient(parent.rpcUrl) },
    {
      signer: alice.address!,
      name,
      childChainId: CHILD_ID,
      validators: [{ pubKey: privValidatorPubkey(childHome), power: 100n, operator: parent.accounts[3]!.address }],
      accounts: (fields.accounts ?? []).map((a) => ({ address: a.address, amount: 1_000_000_000_000n })),
      genesisTime: fields.genesisTime,
      trust: { ...DEFAULT_TRUST, trustingPeriodSeconds: fields.trustingPeriod ?? 3600n },
      blockTimeMs: 400n,
      maxBlockBytes: 1_048_576n,
      reportFee: FEE,
      deposit: 1_000_000n,
    },
  );
  await alice.createApp(name, { admins: [alice.address!] });
  await alice.signAndBroadcast([shardsMsg.branch(alice.address!, msg)]);
}

beforeAll(async () => {
  // accounts: alice (app admin), bob (user), relayer, the child validator's operator.
  parent = await startTestNode({
    accounts: 4,
    chainId: PARENT_ID,
    timeoutCommit: '300ms',
    // A short vote, so the recovery proposal runs within the test.
    appState: (state) => ({ ...state, gov: { params: { voting_period: String(VOTING_PERIOD), min_deposit: '1000000uain' } } }),
  });
  alice = await clientOf(parent.rpcUrl, parent.accounts[0]!);
  bob = await clientOf(parent.rpcUrl, parent.accounts[1]!);
  childHome = mkdtempSync(join(tmpdir(), 'ain-chat-e2e-'));
  initHome({ home: childHome, chainId: CHILD_ID, moniker: 'chat0' });
  await branch('chat', { genesisTime: BigInt(Math.floor(Date.now() / 1000)), accounts: parent.accounts });
  const init = await runAind('shard', 'init', '--home', childHome, '--parent', parent.rpcUrl, '--path', '/apps/chat', '--output', 'json');
  expect(init.code, init.stderr).toBe(0);
  expect(JSON.parse(init.stdout)).toMatchObject({ chain_id: CHILD_ID, validator: true });
  child = await startHomeNode({ home: childHome, chainId: CHILD_ID, accounts: parent.accounts });
  bobOnChild = await clientOf(child.rpcUrl, parent.accounts[1]!);
  relayerHome = mkdtempSync(join(tmpdir(), 'ain-relayer-e2e-'));
  relayerLog = join(relayerHome, 'relayer.log');
  await addKey(relayerHome, 'relayer', parent.accounts[2]!.mnemonic);
  startRelayer();
}, 180_000);

afterAll(async () => {
  await stopRelayer('SIGTERM');
  for (const client of [alice, bob, bobOnChild]) client?.disconnect();
  await child?.stop();
  await parent?.stop();
  for (const dir of [relayerHome]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a child chain and its relayer on real nodes', () => {
  it('reports flow and the relayer is paid per accepted report', async () => {
    const state = await until('three reports of the child', async () => ((await latest()).height >= 3n ? latest() : undefined), 60_000);
    expect(state.appHash).toMatch(/^[0-9A-F]{64}$/);
    const { shard, link } = await queryShard(alice.cometClient, 'chat');
    expect(link.reports).toBeGreaterThanOrEqual(1n);
    // The shard account paid FEE per accepted report, and only those.
    expect(await balance(parent, shard.account, 'uain')).toBe(
      1_000_000n - FEE * (await queryShard(alice.cometClient, 'chat')).link.reports,
    );
  });

  it('a relayer waits for a node that does not answer yet, and refuses a chain with no parent link at once', async () => {
    const signer = await DirectSecp256k1Wallet.fromKey(parent.accounts[2]!.privkey, ADDRESS_PREFIX);
    const [port] = await freePorts(1);
    const lines: string[] = [];
    const absent = { parentUrl: parent.rpcUrl, childUrl: `http://127.0.0.1:${port}`, signer, intervalMs: 200, connectTimeoutMs: 1_500 };
    await expect(startLibraryRelayer({ ...absent, log: (line) => lines.push(line) })).rejects.toMatchObject({ codespace: 'sdk', code: 39 });
    expect(lines).toEqual([expect.stringMatching(/^waiting for the chains: cannot reach the node at http:\/\/127\.0\.0\.1:\d+ /)]);
    // The parent named as the child: it answers, but has no parent link, which no wait would mend.
    const refused: string[] = [];
    await expect(
      startLibraryRelayer({
        parentUrl: parent.rpcUrl,
        childUrl: parent.rpcUrl,
        signer,
        connectTimeoutMs: 600_000,
        log: (line) => refused.push(line),
      }),
    ).rejects.toThrow();
    expect(refused).toEqual([]);
  });

  it('proves a child value on the parent through the client library', async () => {
    const aliceOnChild = await clientOf(child.rpcUrl, parent.accounts[0]!);
    try {
      const written = await aliceOnChild.ref('/apps/chat/open').setValue(true);
      await until(
        'a report past the write',
        async () => ((await latest()).height > BigInt(written.height) + 1n ? true : undefined),
        30_000,
      );
    } finally {
      aliceOnChild.disconnect();
    }
    const proof = await proveChildValue({ parent: bob.cometClient, child: bobOnChild.cometClient, shard: 'chat', path: '/apps/chat/open' });
    expect(proof).toMatchObject({ verified: true, value: true });
    await bob.signAndBroadcast([proof.message(bob.address!)]);
    expect(await queryShardValue(bob.cometClient, 'chat', '/apps/chat/open')).toEqual({
      found: true,
      value: 'true',
      height: BigInt(proof.height),
    });
  });

  it('moves uain parent -> child -> parent with the supply conserved', async () => {
    const voucher = voucherDenom(PARENT_ID);
    const timeoutHeight = (await latest()).height + 1000n;
    await bob.signAndBroadcast([
      shardsMsg.transfer(bob.address!, { shard: 'chat', receiver: bob.address!, amount: '5000', timeoutHeight }),
    ]);
    const vouchers = () => balance(child, bob.address!, voucher);
    await until('the voucher on the child', async () => ((await vouchers()) === 5000n ? true : undefined), 60_000);
    await until(
      'the parent packet acknowledged',
      async () => ((await queryPackets(bob.cometClient, 'chat')).length === 0 ? true : undefined),
      60_000,
    );

    const parentTimeout = (await queryClientState(bobOnChild.cometClient, 'parent')).latest!.height + 1000n;
    await bobOnChild.signAndBroadcast([
      shardsMsg.transfer(bob.address!, { shard: 'parent', receiver: bob.address!, amount: '2000', timeoutHeight: parentTimeout }),
    ]);
    expect(await vouchers()).toBe(3000n);
    await until(
      'the child packet acknowledged',
      async () => ((await queryPackets(bobOnChild.cometClient, 'parent')).length === 0 ? true : undefined),
      60_000,
    );
    const { link } = await queryShard(bob.cometClient, 'chat');
    // What the parent escrows is exactly what the child holds as vouchers.
    expect(link.escrow).toBe('3000');

    // The child's own uain up to the parent, sent with the CLI's --denom: escrowed on the child, minted as its voucher.
    const cliHome = mkdtempSync(join(tmpdir(), 'ain-cli-e2e-'));
    try {
      await addKey(cliHome, 'bob', parent.accounts[1]!.mnemonic);
      const up = await runAind(
        ...['tx', 'shards', 'transfer', 'parent', bob.address!, '1000', '--denom', 'uain', '--from', 'bob', '--home', cliHome],
        ...['--node', child.rpcUrl, '--gas', 'auto', '--output', 'json'],
      );
      expect(up.code, up.stderr).toBe(0);
    } finally {
      rmSync(cliHome, { recursive: true, force: true });
    }
    expect(await balance(child, moduleAddress('shards'), 'uain')).toBe(1000n);
    const childVoucher = voucherDenom(CHILD_ID);
    await until(
      'the child uain on the parent',
      async () => ((await balance(parent, bob.address!, childVoucher)) === 1000n ? true : undefined),
      60_000,
    );
  });

  it('resumes after the relayer is killed, reporting no height twice', async () => {
    await stopRelayer('SIGKILL');
    const before = (await latest()).height;
    await child.waitForHeight(Number(before) + 5, 30_000);
    expect((await latest()).height).toBe(before);
    startRelayer();
    await until('reports after the restart', async () => ((await latest()).height > before + 3n ? true : undefined), 60_000);
    const heights = reportedHeights();
    expect(new Set(heights).size).toBe(heights.length);
    expect([...heights].sort((a, b) => (a < b ? -1 : 1))).toEqual(heights);
  });

  it("follows a change of the child's validator power", async () => {
    const before = (await latest()).validatorsHash;
    const delegated = await bobOnChild.signAndBroadcast([
      {
        typeUrl: '/cosmos.staking.v1beta1.MsgDelegate',
        value: {
          delegatorAddress: bob.address!,
          validatorAddress: toValoper(parent.accounts[3]!.address),
          amount: { denom: 'uain', amount: '50000000' },
        },
      },
    ]);
    await until(
      'a reported header after the change',
      async () => ((await latest()).height > BigInt(delegated.height) + 3n ? true : undefined),
      60_000,
    );
    expect((await latest()).validatorsHash).not.toBe(before);
  });

  describe('forged reports', () => {
    let h: bigint;
    /** Reports `signed` with the child's real validator sets of its height (they changed since genesis). */
    const report = async (shard: string, signed: SignedHeader) => {
      const at = signed.header!.chainId === CHILD_ID ? signed.header!.height : h;
      const sets = await fetchUpdate({ rpc: cometRpcClient(child.rpcUrl) }, at);
      const bytes = {
        validators: ValidatorSet.encode(sets.validators).finish(),
        nextValidators: ValidatorSet.encode(sets.nextValidators).finish(),
      };
      try {
        await bob.signAndBroadcast([
          shardsMsg.report(bob.address!, { shard, signedHeader: SignedHeader.encode(signed).finish(), ...bytes }),
        ]);
        return '/0';
      } catch (error) {
        if (error instanceof TxError) return `${error.codespace}/${error.code}`;
        throw error;
      }
    };
    const real = async (height: bigint) => (await fetchUpdate({ rpc: cometRpcClient(child.rpcUrl) }, height)).signedHeader;
    const resign = (signed: SignedHeader, change: Partial<NonNullable<SignedHeader['header']>>) => {
      const header = { ...signed.header!, ...change };
      const commit = {
        ...signed.commit!,
        blockId: { ...signed.commit!.blockId!, hash: headerHash(header) },
        signatures: signed.commit!.signatures.map((s) => ({ ...s })),
      };
      commit.signatures[0]!.signature = ed25519.sign(commitSignBytes(CHILD_ID, commit, 0), childSeed());
      return SignedHeader.fromPartial({ header, commit });
    };

    beforeAll(async () => {
      // Shards the relayer does not serve, over the same child chain: `forge` trusts its genesis, `stale` trusted it too long ago.
      const { shard } = await queryShard(alice.cometClient, 'chat');
      await branch('forge', { genesisTime: shard.genesisTime });
      await branch('stale', { genesisTime: shard.genesisTime - 7200n, trustingPeriod: 3600n });
      h = BigInt(await child.height()) - 1n;
    }, 60_000);

    it('bad signature: lightclient/4', async () => {
      const signed = await real(h);
      signed.commit!.signatures[0]!.signature[3]! ^= 1;
      expect(await report('forge', signed)).toBe('lightclient/4');
    });

    // Height 2 is still signed by the set `forge` trusts: its commit is checked against that set alone.
    it('unknown validator: lightclient/5', async () => {
      const signed = await real(2n);
      const stranger = ed25519.utils.randomSecretKey();
      signed.commit!.signatures[0]!.validatorAddress = new Uint8Array(20).fill(7);
      signed.commit!.signatures[0]!.signature = ed25519.sign(commitSignBytes(CHILD_ID, signed.commit!, 0), stranger);
      expect(await report('forge', signed)).toBe('lightclient/5');
    });

    it('too little power: lightclient/6', async () => {
      const signed = await real(2n);
      signed.commit!.signatures[0] = {
        blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
        validatorAddress: new Uint8Array(),
        timestamp: { seconds: 0n, nanos: 0 },
        signature: new Uint8Array(),
      };
      expect(await report('forge', signed)).toBe('lightclient/6');
    });

    it('wrong chain id: lightclient/3', async () => {
      const parentHeader = (await fetchUpdate({ rpc: cometRpcClient(parent.rpcUrl) }, BigInt(await parent.height()) - 1n)).signedHeader;
      expect(await report('forge', parentHeader)).toBe('lightclient/3');
    });

    it('outside the trusting period: lightclient/8', async () => {
      expect(await report('stale', await real(h))).toBe('lightclient/8');
    });

    it('recovers the expired link by governance from the file `aind tx shards recovery-proposal` writes', async () => {
      const file = join(relayerHome, 'recover-stale.json');
      const args = ['tx', 'shards', 'recovery-proposal', 'stale', '--node', parent.rpcUrl, '--output-document', file];
      // Before the header: another chain's (the parent's own), or a height the link trusts.
      const wrongChain = await runAind(...args, '--source', parent.rpcUrl);
      expect(wrongChain.stderr).toMatch(`--source ${parent.rpcUrl} serves chain ${PARENT_ID}, but shard stale follows ${CHILD_ID}`);
      expect(wrongChain.code).toBe(1);
      const written = await runAind(...args, '--source', child.rpcUrl, '--height', String(h));
      expect(written.code, written.stderr).toBe(0);
      expect(written.stdout).toMatch(`next: aind tx gov submit-proposal ${file} --from <key> --node ${parent.rpcUrl}`);

      // The file's message is the child's header at h with its sets.
      const proposal = JSON.parse(readFileSync(file, 'utf8')) as { deposit: string; messages: Array<Record<string, string>> };
      expect(proposal.deposit).toBe('1000000uain');
      const message = MsgRecoverLink.fromJSON(proposal.messages[0]);
      const child_ = await fetchUpdate({ rpc: cometRpcClient(child.rpcUrl) }, h);
      const header = SignedHeader.decode(message.signedHeader).header!;
      expect(message).toMatchObject({ authority: govAuthority(), shard: 'stale' });
      expect(headerHash(header)).toEqual(headerHash(child_.signedHeader.header!));
      expect(header).toMatchObject({ chainId: CHILD_ID, height: h });
      expect(validatorSetHash(ValidatorSet.decode(message.validators).validators)).toEqual(header.validatorsHash);

      // Submitted, voted on by the parent's validator, passed: the link trusts h.
      await addKey(relayerHome, 'bob', parent.accounts[1]!.mnemonic);
      const submit = await runAind(
        ...['tx', 'gov', 'submit-proposal', file, '--from', 'bob', '--home', relayerHome, '--node', parent.rpcUrl],
        ...['--gas', 'auto', '--output', 'json'],
      );
      expect(submit.code, submit.stderr).toBe(0);
      const submitted = (JSON.parse(submit.stdout) as TxResponseJson).events.find((e) => e.type === 'submit_proposal');
      const id = BigInt(submitted!.attributes.find((a) => a.key === 'proposal_id')!.value);
      const operator = await clientOf(parent.rpcUrl, parent.validator.operator);
      try {
        await operator.signAndBroadcast([
          {
            typeUrl: MsgVote.typeUrl,
            value: MsgVote.fromPartial({ proposalId: id, voter: operator.address!, option: VoteOption.VOTE_OPTION_YES }),
          },
        ]);
      } finally {
        operator.disconnect();
      }
      const proposalOf = async () =>
        QueryProposalResponse.decode(
          (
            await abciQueryOrThrow(
              alice.cometClient,
              '/cosmos.gov.v1.Query/Proposal',
              QueryProposalRequest.encode({ proposalId: id }).finish(),
            )
          ).value,
        ).proposal!;
      const ended = await until(
        'the vote to end',
        async () => ((await proposalOf()).status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD ? undefined : proposalOf()),
        30_000,
      );
      expect([ended.status, ended.failedReason]).toEqual([ProposalStatus.PROPOSAL_STATUS_PASSED, '']);
      expect(await latest('stale')).toMatchObject({
        height: h,
        validatorsHash: Buffer.from(header.validatorsHash).toString('hex').toUpperCase(),
      });
      // Reports update it again.
      expect(await report('stale', await real(h + 1n))).toBe('/0');
    });

    it('a conflicting header signed by the child validator freezes the shard', async () => {
      expect(await report('forge', await real(h))).toBe('/0');
      const conflicting = resign(await real(h), { appHash: new Uint8Array(32).fill(9) });
      expect(await report('forge', conflicting)).toBe('/0');
      expect((await queryShard(bob.cometClient, 'forge')).link.frozen).toBe(true);
      expect(await report('forge', await real(h - 1n))).toBe('shards/6');
      // The relayed shard is untouched.
      expect((await queryShard(bob.cometClient, 'chat')).link.frozen).toBe(false);
    });
  });
});
