/**
 * A chain's supply read back block by block, as an auditor would, from a node's RPC: each height's
 * coins created (`coinbase` events, by minter) and destroyed (`burn` events, by burner) in CometBFT's
 * block results, the block reward (distribution's `mint`), the compute epoch that ended there, the
 * gov proposals settled there, the fees its txs paid, and the bank's total supply of uain at that
 * height (an ABCI query at the height, so the node must keep every height: app.toml `[state]
 * keep_recent = 0`).
 */
import { decodeTxRaw } from '@cosmjs/proto-signing';
import { QueryClient } from '@cosmjs/stargate';
import { Comet38Client, type comet38 } from '@cosmjs/tendermint-rpc';
import { QuerySupplyOfRequest, QuerySupplyOfResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';

const DENOM = 'uain';

/** A compute epoch's end, as its `ain.compute.v1.EventEpochEnded` says. */
export interface EpochEnded {
  readonly number: bigint;
  readonly units: bigint;
  /** The moving average after the epoch, decimal text. */
  readonly average: string;
  readonly minted: bigint;
  readonly burned: bigint;
}

/** What one block did to the supply. */
export interface BlockLedger {
  readonly height: number;
  /** Total supply of uain after the block. */
  readonly supply: bigint;
  /** uain created in the block, by minter. */
  readonly minted: ReadonlyMap<string, bigint>;
  /** uain destroyed in the block, by burner. */
  readonly burned: ReadonlyMap<string, bigint>;
  /** Distribution's block reward (its `mint` event). */
  readonly blockReward: bigint;
  /** uain fees the block's txs declared. */
  readonly fees: bigint;
  readonly epoch: EpochEnded | undefined;
  /** Gov proposals whose voting period ended in the block, with their `proposal_result`. */
  readonly proposals: readonly { readonly id: bigint; readonly result: string }[];
}

/** The sum of a map's values. */
export const total = (amounts: ReadonlyMap<string, bigint>): bigint => [...amounts.values()].reduce((a, b) => a + b, 0n);

/** uain in a coins text such as `123uain` or `5foo,123uain`. */
function uain(coins: string): bigint {
  let sum = 0n;
  for (const coin of coins.split(',')) {
    const match = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(coin.trim());
    if (match?.[2] === DENOM) sum += BigInt(match[1]!);
  }
  return sum;
}

const attribute = (event: comet38.Event, key: string): string => event.attributes.find((a) => a.key === key)?.value ?? '';

function addTo(map: Map<string, bigint>, key: string, amount: bigint): void {
  if (amount !== 0n) map.set(key, (map.get(key) ?? 0n) + amount);
}

/** The ledger of heights `from`..`to` read from the node at `rpcUrl`. */
export async function readLedger(rpcUrl: string, from: number, to: number): Promise<BlockLedger[]> {
  const comet = await Comet38Client.connect(rpcUrl);
  const query = new QueryClient(comet);
  try {
    const ledger: BlockLedger[] = [];
    for (let height = from; height <= to; height++) {
      const [results, block, supplyAnswer] = await Promise.all([
        comet.blockResults(height),
        comet.block(height),
        query.queryAbci('/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest.encode({ denom: DENOM }).finish(), height),
      ]);
      if (supplyAnswer.height !== height) throw new Error(`supply asked at height ${height} answered at ${supplyAnswer.height}`);
      // A failed tx's messages changed nothing; its events are not the chain's.
      const events = [...results.results.filter((r) => r.code === 0).flatMap((r) => r.events), ...results.finalizeBlockEvents];
      const minted = new Map<string, bigint>();
      const burned = new Map<string, bigint>();
      let blockReward = 0n;
      let epoch: EpochEnded | undefined;
      const proposals: { id: bigint; result: string }[] = [];
      for (const event of events) {
        if (event.type === 'coinbase') addTo(minted, attribute(event, 'minter'), uain(attribute(event, 'amount')));
        else if (event.type === 'burn') addTo(burned, attribute(event, 'burner'), uain(attribute(event, 'amount')));
        else if (event.type === 'mint') blockReward += uain(attribute(event, 'amount'));
        else if (event.type === 'active_proposal')
          proposals.push({ id: BigInt(attribute(event, 'proposal_id')), result: attribute(event, 'proposal_result') });
        else if (event.type === 'ain.compute.v1.EventEpochEnded')
          epoch = {
            number: BigInt(attribute(event, 'epoch')),
            units: BigInt(attribute(event, 'units')),
            average: attribute(event, 'average'),
            minted: BigInt(attribute(event, 'minted')),
            burned: BigInt(attribute(event, 'burned')),
          };
      }
      const fees = block.block.txs
        .map((tx) => decodeTxRaw(tx).authInfo.fee?.amount ?? [])
        .reduce((sum, coins) => sum + coins.reduce((s, c) => s + (c.denom === DENOM ? BigInt(c.amount) : 0n), 0n), 0n);
      const supply = BigInt(QuerySupplyOfResponse.decode(supplyAnswer.value).amount?.amount ?? '0');
      ledger.push({ height, supply, minted, burned, blockReward, fees, epoch, proposals });
    }
    return ledger;
  } finally {
    comet.disconnect();
  }
}
