/**
 * Internal control flow of the interpreter. A `RuleRuntimeError` (member of null, division by zero,
 * a number out of range, ...) makes the rule evaluate to false with a reason; `evaluateRule` catches
 * it and never lets it escape, so the project still has one public error model (`AinError`).
 */
import type { SourceSpan } from './source.ts';

export class RuleRuntimeError extends Error {
  /** The innermost node being evaluated when the error arose; set by the interpreter. */
  node?: SourceSpan;

  constructor(message: string) {
    super(message);
    this.name = 'RuleRuntimeError';
  }
}

/** Thrown by the gas meter; `evaluateRule` turns it into `rules/4 out of gas`. */
export class RuleOutOfGas extends Error {
  constructor(
    readonly used: number,
    readonly limit: number,
    readonly location: string,
  ) {
    super(`out of gas in ${location}`);
    this.name = 'RuleOutOfGas';
  }
}

/** Wraps an exception of the environment that is not an AinError; `evaluateRule` rethrows `cause`. */
export class RuleHostFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the rule environment failed');
    this.name = 'RuleHostFailure';
  }
}
