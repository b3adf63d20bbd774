/**
 * Blocks and transactions: the latest blocks, one block with its txs, one tx with its decoded
 * messages, fee and events (the REST tx service decodes them).
 */
import { type Api, recentBlocks } from '../api.ts';
import { facts, h, json, link, section, show, table } from '../dom.ts';
import { clock, coins, short } from '../format.ts';

interface Coin {
  readonly denom: string;
  readonly amount: string;
}

export interface RestTx {
  readonly body: { readonly messages: ReadonlyArray<Record<string, unknown>>; readonly memo: string };
  readonly auth_info: { readonly fee: { readonly amount: Coin[]; readonly gas_limit: string; readonly payer: string } };
}

export interface TxResponse {
  readonly height: string;
  readonly txhash: string;
  readonly code: number;
  readonly raw_log: string;
  readonly gas_wanted: string;
  readonly gas_used: string;
  readonly timestamp: string;
  readonly events: ReadonlyArray<{ readonly type: string; readonly attributes: ReadonlyArray<{ key: string; value: string }> }>;
}

export interface TxsAnswer {
  readonly txs: RestTx[];
  readonly tx_responses: TxResponse[];
}

/** The short name of a message's type URL: `/cosmos.bank.v1beta1.MsgSend` gives `MsgSend`. */
const messageName = (message: Record<string, unknown>): string =>
  String(message['@type'] ?? '?')
    .split('.')
    .pop() ?? '?';

/** A table of txs: hash, height, messages, result, fee. */
export function txRows(answer: TxsAnswer, testId: string): HTMLElement {
  return table(
    ['Hash', 'Height', 'Messages', 'Result', 'Fee'],
    answer.tx_responses.map((response, i) => [
      link(`tx/${response.txhash}`, short(response.txhash)),
      link(`blocks/${response.height}`, response.height),
      (answer.txs[i]?.body.messages ?? []).map(messageName).join(', '),
      response.code === 0 ? 'ok' : `failed (${response.code})`,
      coins(answer.txs[i]?.auth_info.fee.amount),
    ]),
    testId,
  );
}

export async function blockList(api: Api, root: HTMLElement): Promise<void> {
  const metas = await recentBlocks(api, 50);
  show(
    root,
    section(
      'Blocks',
      table(
        ['Height', 'Time', 'Txs', 'Hash', 'Proposer'],
        metas.map((m) => [
          link(`blocks/${m.header.height}`, m.header.height),
          clock(m.header.time),
          m.num_txs,
          short(m.block_id.hash),
          short(m.header.proposer_address),
        ]),
        'blocks',
      ),
    ),
  );
}

export async function blockPage(api: Api, root: HTMLElement, height: string): Promise<void> {
  const [block, txs] = await Promise.all([
    api.rest<{ block_id: { hash: string }; block: { header: Record<string, string> } }>(`/cosmos/base/tendermint/v1beta1/blocks/${height}`),
    api.rest<TxsAnswer>(`/cosmos/tx/v1beta1/txs?query=tx.height=${height}&limit=100`),
  ]);
  const header = block.block.header;
  show(
    root,
    section(
      `Block ${height}`,
      facts(
        [
          ['Time', header['time'] ?? ''],
          ['Hash (base64)', block.block_id.hash],
          ['App hash (base64)', header['app_hash'] ?? ''],
          ['Proposer', header['proposer_address'] ?? ''],
          ['Previous', Number(height) > 1 ? link(`blocks/${Number(height) - 1}`, Number(height) - 1) : '-'],
          ['Next', link(`blocks/${Number(height) + 1}`, Number(height) + 1)],
        ],
        'block-facts',
      ),
    ),
    section('Transactions', txRows(txs, 'block-txs')),
  );
}

export async function txPage(api: Api, root: HTMLElement, hash: string): Promise<void> {
  const answer = await api.rest<{ tx: RestTx; tx_response: TxResponse }>(`/cosmos/tx/v1beta1/txs/${hash}`);
  const { tx, tx_response: response } = answer;
  show(
    root,
    section(
      'Transaction',
      facts(
        [
          ['Hash', h('code', { 'data-testid': 'tx-hash' }, response.txhash)],
          ['Height', link(`blocks/${response.height}`, response.height)],
          ['Time', response.timestamp],
          ['Result', response.code === 0 ? 'ok' : `failed (${response.code}): ${response.raw_log}`],
          ['Fee', h('span', { 'data-testid': 'tx-fee' }, coins(tx.auth_info.fee.amount))],
          ['Gas (used / wanted)', `${response.gas_used} / ${response.gas_wanted}`],
          ['Memo', tx.body.memo || '-'],
        ],
        'tx-facts',
      ),
    ),
    section(
      'Messages',
      ...tx.body.messages.map((message) => h('div', { class: 'message' }, h('h3', {}, messageName(message)), json(message, 'tx-message'))),
    ),
    section(
      'Events',
      table(
        ['Type', 'Attributes'],
        response.events.map((event) => [event.type, event.attributes.map((a) => `${a.key}=${a.value}`).join('  ')]),
        'tx-events',
      ),
    ),
  );
}
