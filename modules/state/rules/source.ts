/** Where a piece of a rule sits in its source text. */

/** A place in the source: `offset` counts UTF-16 code units from 0; `line` and `column` count from 1. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A span of the source: where it starts and the offset just past its last character. */
export interface SourceSpan {
  readonly start: SourcePosition;
  readonly end: number;
}
