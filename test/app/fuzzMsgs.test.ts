/**
 * Every registered message type with random field values (test/app/msgShapes.fixture.ts), signed
 * validly by funded keys, through CheckTx, FinalizeBlock, Commit and recheck on three apps
 * (test/app/fuzzChain.fixture.ts): a failed tx reports a module's registered error, never a panic;
 * a failed tx changes nothing but its fee and sequence; two apps given the same blocks agree.
 * The apps keep their state from run to run, so a failure is reported as found, not shrunk (endOnFailure).
 */
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModuleManager } from '../../app/moduleManager.ts';
import { MODULES } from '../../app/modules.ts';
import { govAuthority } from '../../core/index.ts';
import { toValoper } from '../../modules/staking/address.ts';
import { FuzzChain } from './fuzzChain.fixture.ts';
import { CODECS, encodeMsg, knownAddresses, msgArb, replaceSigner } from './msgShapes.fixture.ts';

const TYPE_URLS = new ModuleManager(MODULES).msgRouter.typeUrls();

/** One tx: a key index and one or two messages (type URL and partial). */
const txArb = fc.record({
  key: fc.nat({ max: 3 }),
  messages: fc.array(
    fc.constantFrom(...TYPE_URLS).chain((typeUrl) => msgArb(typeUrl).map((partial) => ({ typeUrl, partial }))),
    { minLength: 1, maxLength: 2 },
  ),
});

describe('every message type, fuzzed through the app', () => {
  let chain: FuzzChain;
  beforeAll(() => {
    chain = new FuzzChain();
    const known = chain.knownAddresses();
    knownAddresses(known.accounts, known.others);
    // A public app every key administers, so state messages under /apps/fz get past their rules.
    const creator = chain.keys[1]!;
    const createApp = encodeMsg('/ain.state.v1.MsgCreateApp', {
      signer: creator.address,
      name: 'fz',
      admins: chain.keys.map((k) => k.address),
      public: true,
    });
    expect(chain.deliver([chain.sign(creator, [createApp])], [creator])[0]!.code).toBe(0);
  });
  afterAll(() => chain.close());

  it('has a codec for every registered message type', () => {
    expect(TYPE_URLS.filter((url) => !CODECS.has(url))).toEqual([]);
  });

  it('fails only with registered errors, changes nothing on failure, and is deterministic', () => {
    fc.assert(
      fc.property(fc.uniqueArray(txArb, { minLength: 1, maxLength: 4, selector: (tx) => tx.key }), (block) => {
        const signers = block.map(({ key }) => chain.keys[key]!);
        const txs = block.map(({ key, messages }) => {
          const signer = chain.keys[key]!;
          const anys = messages.map(({ typeUrl, partial }) =>
            encodeMsg(typeUrl, replaceSigner(partial, signer.address, toValoper(signer.address))),
          );
          return chain.sign(signer, anys);
        });
        chain.deliver(txs, signers);
      }),
      { seed: 42, numRuns: 400, endOnFailure: true },
    );
  });
});

/** The messages only the gov authority may send; a software upgrade is left out (its plan stops a chain by design). */
const AUTHORITY_TYPE_URLS = TYPE_URLS.filter(
  (url) => 'authority' in (CODECS.get(url)!.fromPartial({}) as object) && url !== '/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade',
);

describe('gov-authority messages, fuzzed through passed proposals', () => {
  const VOTING_SECONDS = 12;
  let chain: FuzzChain;
  beforeAll(() => {
    chain = new FuzzChain({ govVotingSeconds: VOTING_SECONDS });
    const known = chain.knownAddresses();
    knownAddresses(known.accounts, known.others);
  });
  afterAll(() => chain.close());

  it('a passed proposal of random messages runs them or fails with a registered error; the chain goes on', () => {
    const gov = govAuthority();
    const [validator, proposer] = [chain.keys[0]!, chain.keys[1]!];
    const messageArb = fc.constantFrom(...AUTHORITY_TYPE_URLS).chain((typeUrl) => msgArb(typeUrl).map((partial) => ({ typeUrl, partial })));
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 2 }), (messages) => {
        const submit = encodeMsg(MsgSubmitProposal.typeUrl, {
          proposer: proposer.address,
          messages: messages.map(({ typeUrl, partial }) => encodeMsg(typeUrl, replaceSigner(partial, gov, ''))),
          initialDeposit: [{ denom: 'uain', amount: '10000000' }],
          title: 'fuzz',
          summary: 'fuzz',
        });
        const [submitted] = chain.deliver([chain.sign(proposer, [submit])], [proposer]);
        if (submitted!.code !== 0) return;
        const id = submitted!.events.find((e) => e.type === 'submit_proposal')!.attributes.find((a) => a.key === 'proposal_id')!.value;
        const vote = encodeMsg(MsgVote.typeUrl, { proposalId: BigInt(id), voter: validator.address, option: VoteOption.VOTE_OPTION_YES });
        expect(chain.deliver([chain.sign(validator, [vote])], [validator])[0]!.code).toBe(0);
        // The voting period ends in one of the next blocks; the end-block hook runs the messages.
        for (let i = 0; i < Math.ceil(VOTING_SECONDS / 5); i++) chain.deliver([]);
      }),
      { seed: 42, numRuns: 150, endOnFailure: true },
    );
  });
});
