/** `ain.channels.v1.Query`: a channel by id (its payer's key, executor, deposit, redeemed, nonce, expiry, status). */
import { ainError } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import { QueryChannelRequest, QueryChannelResponse, QueryServiceName } from '../../proto/gen/ain/channels/v1/query.ts';
import { ErrChannelNotFound } from './errors.ts';
import type { ChannelsKeeper } from './keeper.ts';

export function registerChannelsQueries(router: QueryRegistrar, keeper: ChannelsKeeper): void {
  router.register(`/${QueryServiceName}/Channel`, (state, data) => {
    const { channelId } = QueryChannelRequest.decode(data);
    const channel = keeper.getChannel(state, channelId);
    if (!channel) throw ainError(ErrChannelNotFound, `no channel ${channelId}`, { field: 'channel_id' });
    return QueryChannelResponse.encode({ channel: keeper.toProto(channel) }).finish();
  });
}
