// How large a file policypack reads, and one object `scan`, `test` and `rego eval` check, may be.
// The API server admits no request over 3 MiB, so a bigger object cannot reach a cluster; checking
// one would only hold the process (evaluations are synchronous, and Wasm memory never shrinks).
// Nothing here loads a parser: the command line's options use it.

/**
 * The largest file read whole: far above what one manifest stream or fixture holds, and above the
 * API server's 3 MiB request limit that `--max-object-size` may raise objects past.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The API server's request limit, which `--max-object-size` raises. */
export const DEFAULT_MAX_OBJECT_BYTES = 3 * 1024 * 1024;

const UNITS: Record<string, number> = { "": 1, KiB: 1024, MiB: 1024 * 1024 };

/**
 * A size written as bytes, KiB or MiB (`3145728`, `512KiB`, `4MiB`), from 1 byte up to the largest
 * file policypack reads; throws a RangeError saying what is accepted.
 */
export function parseByteSize(text: string): number {
  const match = /^([0-9]+)(KiB|MiB)?$/.exec(text);
  const bytes = match ? Number(match[1]) * UNITS[match[2] ?? ""]! : Number.NaN;
  if (!(bytes >= 1 && bytes <= MAX_FILE_BYTES)) {
    throw new RangeError(`expected a size in bytes, KiB or MiB (e.g. 4MiB), from 1 byte up to ${MAX_FILE_BYTES / 1024 / 1024}MiB, the largest file policypack reads`);
  }
  return bytes;
}

/** Why `value` is not checked when its JSON encoding is over `maxBytes`; undefined when it fits. */
export function tooLargeToCheck(value: unknown, maxBytes: number): string | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes <= maxBytes) return undefined;
  return `too large to check: ${bytes} bytes as JSON, over the ${maxBytes}-byte object limit (--max-object-size raises it)`;
}
