// Run-time errors: OPA's ABI reports them through the host's opa_abort(NUL-terminated message),
// which throws in the JavaScript SDK, so control never returns here.

// @ts-ignore: decorator
@external("env", "opa_abort")
declare function opaAbort(addr: usize): void;

export function abortWith(message: string): void {
  let text = String.UTF8.encode(message, true);
  opaAbort(changetype<usize>(text));
  unreachable();
}

/** Target of AssemblyScript's own `abort` (failed std-library checks), via `--use abort=`. */
export function stdAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  abortWith("internal error in policy runtime: " + (message != null ? message : "abort"));
}
