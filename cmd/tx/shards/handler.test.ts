/**
 * `aind tx shards transfer`'s message from command-line text: `--denom` goes into MsgTransfer as typed
 * (absent: empty, which the node reads as uain from a parent or the parent's voucher from a child),
 * and a denom that is no denom is refused before any node is contacted.
 */
import { describe, expect, it } from 'vitest';
import { MsgTransfer } from '../../../proto/gen/ain/shards/v1/tx.ts';
import { refusalOf } from '../../../test/helpers/errorCode.ts';
import { shardsTxMessages } from './handler.ts';

const BOB = 'ain1qgpqyqszqgpqyqszqgpqyqszqgpqyqszj78e6m';
// No node answers here: with --timeout-height given, the transfer needs none.
const OPTIONS = { home: '/nonexistent', from: BOB, node: 'http://127.0.0.1:1' };
const transfer = (flags: { denom?: string }) =>
  shardsTxMessages('transfer', ['parent', BOB, '1000'], { timeoutHeight: '50', ...flags }, OPTIONS, BOB);

describe('aind tx shards transfer --denom', () => {
  it('sends the denom given, or none (the link default) without the flag', async () => {
    const [up] = await transfer({ denom: 'uain' });
    expect(up!.typeUrl).toBe(`/${MsgTransfer.$type}`);
    expect(up!.value).toMatchObject({ shard: 'parent', receiver: BOB, amount: '1000', timeoutHeight: 50n, denom: 'uain' });
    const [voucher] = await transfer({ denom: 'shard/ain-parent-1/uain' });
    expect(voucher!.value).toMatchObject({ denom: 'shard/ain-parent-1/uain' });
    const [plain] = await transfer({});
    expect(plain!.value).toMatchObject({ denom: '' });
  });

  it('refuses a denom that is no denom, naming --denom', async () => {
    const error = await transfer({ denom: '1uain' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(
      refusalOf(() => {
        throw error;
      }),
    ).toMatch(/^sdk\/10 --denom "1uain" is not a valid denom/);
  });
});
