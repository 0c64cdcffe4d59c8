import type { Location } from "./ast/types.ts";

/**
 * The one error every compiler stage throws: where (`file:line:col`), what construct, and a hint.
 * The CLI prints `message` as is, so it must read well on one line.
 */
export class CompileError extends Error {
  constructor(
    readonly loc: Location,
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(`${loc.file}:${loc.row}:${loc.col}: ${problem}${hint ? ` (hint: ${hint})` : ""}`);
    this.name = "CompileError";
  }
}
