/** The compute module's events: one per epoch end. */
import type { TypedEvent } from '../../core/index.ts';

/** An epoch ended: its units, the moving average after it, and what it minted and burned (uain). */
export const epochEndedEvent = (fields: {
  number: bigint;
  units: bigint;
  average: string;
  minted: bigint;
  burned: bigint;
}): TypedEvent => ({
  type: 'ain.compute.v1.EventEpochEnded',
  attributes: [
    ['epoch', fields.number.toString()],
    ['units', fields.units.toString()],
    ['average', fields.average],
    ['minted', fields.minted.toString()],
    ['burned', fields.burned.toString()],
  ],
});
