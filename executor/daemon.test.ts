import { describe, expect, it } from 'vitest';
import { runTimeoutFor } from './daemon.ts';

describe('runTimeoutFor', () => {
  it("keeps the executor's limit when the deadline is far", () => {
    expect(runTimeoutFor(10_000, 100, 1_000)).toBe(10_000);
  });
  it('cuts the run to the blocks left before the deadline, keeping one for the result', () => {
    expect(runTimeoutFor(10_000, 5, 1_000)).toBe(4_000);
    expect(runTimeoutFor(10_000, 3, 520.5)).toBe(1_041);
  });
  it('never goes below 1 s, and uses the limit before any interval is measured', () => {
    expect(runTimeoutFor(10_000, 1, 1_000)).toBe(1_000);
    expect(runTimeoutFor(10_000, 0, 1_000)).toBe(1_000);
    expect(runTimeoutFor(10_000, 2, undefined)).toBe(10_000);
  });
});
