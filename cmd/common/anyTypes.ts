import { ainRegistry } from '../../client/index.ts';
import { type AnyTypes, defaultAnyTypes, type JsonCodec } from '../../core/index.ts';

/**
 * The codecs of the messages the proposals in a query's answer carry (`proposal.messages`,
 * `proposals[].messages`; from the chain's registry), beside the default Any types, so that
 * `toProtoJson` prints them unpacked (`{"@type", ...fields}`) instead of base64.
 * @example toProtoJson(codec, decoded, proposalMessageTypes(decoded))
 */
export function proposalMessageTypes(decoded: unknown): AnyTypes {
  const types = new Map(defaultAnyTypes);
  const answer = decoded as { proposal?: { messages?: { typeUrl: string }[] }; proposals?: { messages?: { typeUrl: string }[] }[] };
  const proposals = [...(answer.proposal ? [answer.proposal] : []), ...(answer.proposals ?? [])];
  const registry = ainRegistry();
  for (const message of proposals.flatMap((proposal) => proposal.messages ?? [])) {
    const codec = registry.lookupType(message.typeUrl) as Partial<JsonCodec<unknown>> | undefined;
    if (codec?.decode && codec.toJSON) types.set(message.typeUrl, codec as JsonCodec<unknown>);
  }
  return types;
}
