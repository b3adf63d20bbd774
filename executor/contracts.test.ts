/**
 * ContractDesk.admit: a malformed `ain-contract` request is refused with executor/11 naming the field;
 * refusedReceipt: which receipt of a failed MsgDisputeMisses the chain refused for good, if any.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { contractBodyHash, TxError } from '../client/index.ts';
import { pubkeyToAddress } from '../core/index.ts';
import { signContractRequest } from '../modules/channels/index.ts';
import { ContractStatus } from '../proto/gen/ain/channels/v1/contracts.ts';
import { QueryContractResponse } from '../proto/gen/ain/channels/v1/query.ts';
import { ContractDesk, refusedReceipt } from './contracts.ts';

const CHAIN = 'ain-contracts-1';
const clientKey = new Uint8Array(32).fill(5);
const executorKey = new Uint8Array(32).fill(6);
const executor = pubkeyToAddress(secp256k1.getPublicKey(executorKey, true));
const NOW = 1_000_000n;

/** Contract 1 is active for this executor from NOW - 10 to NOW + 1000; every other id is not found. */
const cometClient = {
  abciQuery: async ({ data }: { data: Uint8Array }) => {
    if (data.length !== 2 || data[1] !== 1)
      return { code: 2, codespace: 'channels', log: 'no contract', value: new Uint8Array(), height: 5 };
    const contract = {
      id: 1n,
      client: pubkeyToAddress(secp256k1.getPublicKey(clientKey, true)),
      clientPubkey: secp256k1.getPublicKey(clientKey, true),
      executor,
      startsAt: NOW - 10n,
      endsAt: NOW + 1000n,
      status: ContractStatus.CONTRACT_STATUS_ACTIVE,
    };
    return { code: 0, value: QueryContractResponse.encode(QueryContractResponse.fromPartial({ contract })).finish(), height: 5 };
  },
};

function newDesk(): ContractDesk {
  return new ContractDesk({
    client: { cometClient: cometClient as never, chainId: CHAIN, address: executor, signAndBroadcast: (async () => {}) as never },
    privkey: executorKey,
    nowSeconds: () => NOW,
    log: () => {},
  });
}

/** The header a client sends: its request for `input`, signed over exactly these terms. */
function header(input: unknown, fields: { contractId: bigint; seq: bigint; deadline: bigint }): string {
  const bodyHash = contractBodyHash(input);
  const signature = signContractRequest(clientKey, { chainId: CHAIN, ...fields, bodyHash });
  return JSON.stringify({
    contract_id: fields.contractId.toString(),
    seq: fields.seq.toString(),
    deadline: fields.deadline.toString(),
    body_hash: Buffer.from(bodyHash).toString('hex'),
    signature: Buffer.from(signature).toString('base64'),
  });
}

const refused = (field: string) => expect.objectContaining({ codespace: 'executor', code: 11, meta: { field } });

describe('ContractDesk.admit', () => {
  it('admits a request signed by the contract client', async () => {
    const terms = await newDesk().admit(header({ q: 1 }, { contractId: 1n, seq: 3n, deadline: NOW + 5n }), { q: 1 });
    expect(terms.seq).toBe(3n);
  });

  it('refuses a header that is JSON but not an object (null) with executor/11, not a TypeError', async () => {
    await expect(newDesk().admit('null', {})).rejects.toThrow(refused('ain-contract'));
    await expect(newDesk().admit('[1]', {})).rejects.toThrow(refused('ain-contract'));
  });

  it('refuses a seq past uint64, which no chain record can name', async () => {
    const seq = 2n ** 64n;
    await expect(newDesk().admit(header({}, { contractId: 1n, seq, deadline: NOW + 5n }), {})).rejects.toThrow(refused('seq'));
  });
});

describe('refusedReceipt', () => {
  const refusal = (codespace: string, code: number, log: string) => new TxError({ codespace, code, log, stage: 'deliver' });

  it("names the receipt of a final refusal (an invalid dispute, a bad signature) from the chain's log", () => {
    expect(refusedReceipt(refusal('channels', 16, 'receipts[2]: claim 9 could be disputed until 1700000100'), 5)).toBe(2);
    expect(refusedReceipt(refusal('channels', 14, "receipts[0].signature is not ain1x's receipt of seq 3"), 1)).toBe(0);
  });

  it('names none for what a later round may get through, a contract-wide refusal or an index out of the batch', () => {
    expect(refusedReceipt(new Error('fetch failed'), 5)).toBeUndefined();
    expect(refusedReceipt(refusal('sdk', 13, 'insufficient fee'), 5)).toBeUndefined();
    expect(refusedReceipt(refusal('channels', 13, 'contract 1 is settled, not active'), 5)).toBeUndefined();
    expect(refusedReceipt(refusal('channels', 16, 'receipts[5]: no standing claim'), 5)).toBeUndefined();
  });
});
