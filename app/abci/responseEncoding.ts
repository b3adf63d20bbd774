/**
 * Encodes the server's responses. FinalizeBlock's carries every tx result with its events: a bank
 * send has 12 events and 28 attributes, about 1.3 KB, so a block of 4,000 sends is 5 MB. cosmjs-types'
 * writer (protobufjs-style: an object per written field, a fork per nested message) took 49-58 µs per
 * tx result (bench/app.ts), as long as executing the tx, while CheckTx waited. Its events and tx
 * results therefore go through @bufbuild/protobuf's writer (the one our ts-proto codecs use; 3.5-4.4x
 * faster there), emitting the same bytes as cosmjs-types' `Response.encode` (tested); every other
 * response is cosmjs-types'.
 */
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { BinaryWriter as CosmjsBinaryWriter } from 'cosmjs-types/binary';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { type Event, type ExecTxResult, Response, type ResponseFinalizeBlock, ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';

/** Field 21 of `tendermint.abci.Response` (finalize_block), length-delimited: (21 << 3) | 2. */
const FINALIZE_BLOCK_TAG = 170;

/** The protobuf bytes of `response`, identical to `Response.encode(response).finish()`. */
export function encodeResponse(response: Response): Uint8Array {
  const finalizeBlock = response.finalizeBlock;
  if (finalizeBlock === undefined) return Response.encode(response).finish();
  const writer = new BinaryWriter();
  writer.uint32(FINALIZE_BLOCK_TAG).fork();
  writeFinalizeBlock(writer, finalizeBlock);
  writer.join();
  return writer.finish();
}

/** `tendermint.abci.ResponseFinalizeBlock`, fields in number order as cosmjs-types writes them. */
function writeFinalizeBlock(writer: BinaryWriter, response: ResponseFinalizeBlock): void {
  for (const event of response.events) writeEvent(writer.uint32(10).fork(), event).join();
  for (const result of response.txResults) writeExecTxResult(writer.uint32(18).fork(), result).join();
  // Rare and small: cosmjs-types' own encoders, embedded as length-delimited bytes.
  for (const update of response.validatorUpdates) writer.uint32(26).bytes(ValidatorUpdate.encode(update).finish());
  if (response.consensusParamUpdates !== undefined) {
    writer.uint32(34).bytes(ConsensusParams.encode(response.consensusParamUpdates).finish());
  }
  if (response.appHash.length !== 0) writer.uint32(42).bytes(response.appHash);
}

function writeExecTxResult(writer: BinaryWriter, result: ExecTxResult): BinaryWriter {
  if (result.code !== 0) writer.uint32(8).uint32(result.code);
  if (result.data.length !== 0) writer.uint32(18).bytes(result.data);
  if (result.log !== '') writeString(writer, 26, result.log);
  if (result.info !== '') writeString(writer, 34, result.info);
  if (result.gasWanted !== 0n) writer.uint32(40).int64(result.gasWanted);
  if (result.gasUsed !== 0n) writer.uint32(48).int64(result.gasUsed);
  for (const event of result.events) writeEvent(writer.uint32(58).fork(), event).join();
  if (result.codespace !== '') writeString(writer, 66, result.codespace);
  return writer;
}

function writeEvent(writer: BinaryWriter, event: Event): BinaryWriter {
  if (event.type !== '') writeString(writer, 10, event.type);
  for (const { key, value, index } of event.attributes) {
    writer.uint32(18).fork();
    if (key !== '') writeString(writer, 10, key);
    if (value !== '') writeString(writer, 18, value);
    if (index === true) writer.uint32(24).bool(true);
    writer.join();
  }
  return writer;
}

/**
 * A string field. @bufbuild's writer (TextEncoder) turns a lone surrogate into U+FFFD, cosmjs-types'
 * writes its 3-byte form (ED A0 80 for U+D800): such strings, rare (a log quoting bad input), go
 * through cosmjs-types' writer so every response writes them one way.
 */
function writeString(writer: BinaryWriter, tag: number, text: string): void {
  writer.uint32(tag);
  if ((text as unknown as WellFormedString).isWellFormed()) writer.string(text);
  else writer.raw(new CosmjsBinaryWriter().string(text).finish());
}

/** `String.prototype.isWellFormed` (ES2024, in Node from 20), missing from the ES2022 lib. */
interface WellFormedString {
  isWellFormed(): boolean;
}
