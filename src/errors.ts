/**
 * A problem with the user's input (a rule, the config, a fixture): printed by the CLI as one
 * line `file: where: problem`, exit code 1.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly where: string | undefined,
    readonly problem: string,
  ) {
    super(`${file}: ${where ? `${where}: ` : ""}${problem}`);
    this.name = "InputError";
  }
}

/** A command that failed on good arguments: printed by the CLI as its message, without usage text, exit code 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}
