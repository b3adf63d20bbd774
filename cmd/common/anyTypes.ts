import type { QueryClient } from '@cosmjs/stargate';
import { ainRegistry } from '../../client/index.ts';
import { type AnyTypes, defaultAnyTypes, type JsonCodec, type JsonValue, toProtoJson } from '../../core/index.ts';

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

/**
 * A module query's answer as proto3 JSON: `request` encoded to `/SERVICE/METHOD` over ABCI, the answer
 * decoded with `response` and printed with the Any types `typesOf` gives for it (proposals' messages
 * unpacked by default). A refusal throws the client's QueryError.
 * @example await askJson(client, 'ain.storage.v1.Query', 'Params', QueryParamsRequest, {}, QueryParamsResponse)
 */
export async function askJson<Req>(
  client: QueryClient,
  service: string,
  method: string,
  request: { encode(m: Req): { finish(): Uint8Array } },
  message: Req,
  response: unknown,
  typesOf: (decoded: unknown) => AnyTypes = proposalMessageTypes,
): Promise<JsonValue> {
  const codec = response as JsonCodec<unknown>;
  const answer = await client.queryAbci(`/${service}/${method}`, request.encode(message).finish());
  const decoded = codec.decode(answer.value);
  return toProtoJson(codec, decoded, typesOf(decoded));
}
