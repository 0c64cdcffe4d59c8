// Reading a user's text and YAML files (config, fixtures, manifests): each problem becomes one
// InputError naming the file and, where there is one, the line and column. Files must be UTF-8 (a
// byte-order mark is allowed): anything else is refused where it goes wrong, never replaced by
// U+FFFD. Sizes and YAML aliases are capped, so a hostile file costs a line, not the machine.

import { readFileSync, statSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { isMap, isSeq, LineCounter, type Node, parseDocument, type YAMLError, YAMLParseError } from "yaml";
import { InputError } from "./errors.ts";
import { MAX_FILE_BYTES } from "./size-limits.ts";

/** The most aliases one YAML document may use (the yaml package's default), so alias bombs stop early. */
export const MAX_YAML_ALIASES = 100;

/** The name under which `readTextFile` reads standard input. */
export const STANDARD_INPUT = "-";

/** A text file policypack does not read: unreadable, too large, or not UTF-8 (at `line`, when known). */
export class TextFileError extends InputError {
  constructor(
    readonly path: string,
    readonly line: number | undefined,
    problem: string,
  ) {
    super(line === undefined ? path : `${path}:${line}`, undefined, problem);
    this.name = "TextFileError";
  }
}

/** The 1-based line and the offset of the first byte of `bytes` that is not valid UTF-8. */
function firstInvalidByte(bytes: Uint8Array): { offset: number; line: number } {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || !isUtf8(bytes.subarray(i, i + length))) return { offset: i, line };
    if (b === 0x0a) line++;
    i += length;
  }
  return { offset: bytes.length, line };
}

const tooLarge = (file: string, size: number) => new TextFileError(file, undefined, `${size} bytes is larger than the ${MAX_FILE_BYTES} bytes policypack reads`);

/**
 * A text file's content (`-`: standard input's), checked to be UTF-8 and at most MAX_FILE_BYTES
 * long; a leading BOM is dropped.
 */
export function readTextFile(file: string): string {
  const fromStandardInput = file === STANDARD_INPUT;
  let bytes: Buffer;
  try {
    // A file's size is known before reading it; standard input's only after.
    const size = fromStandardInput ? 0 : statSync(file).size;
    if (size > MAX_FILE_BYTES) throw tooLarge(file, size);
    bytes = readFileSync(fromStandardInput ? 0 : file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const { code } = error as NodeJS.ErrnoException;
    throw new TextFileError(file, undefined, `cannot read: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : code === "EACCES" ? "permission denied" : (error as Error).message}`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw tooLarge(file, bytes.length);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new TextFileError(file, undefined, "is UTF-16; save it as UTF-8");
  }
  if (!isUtf8(bytes)) {
    const { offset, line } = firstInvalidByte(bytes);
    throw new TextFileError(file, line, `not valid UTF-8 at byte ${offset} (0x${bytes[offset]!.toString(16).padStart(2, "0")}); save the file as UTF-8`);
  }
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A YAML file's single document as plain data. */
export function readYamlFile(file: string): unknown {
  return readYamlDocument(file).value;
}

/** Where a value sits in a YAML file: 1-based line and column. */
export interface YamlPosition {
  line: number;
  col: number;
}

/**
 * A YAML file's single document as plain data, and where each field of it sits: `positionOf`
 * takes a path of keys and indexes and answers with the position of that key (or item), or
 * undefined when the path is not in the file.
 */
export function readYamlDocument(file: string): { value: unknown; positionOf: (path: readonly (string | number)[]) => YamlPosition | undefined } {
  const text = readTextFile(file);
  const lineCounter = new LineCounter();
  try {
    const document = parseDocument(text, { prettyErrors: true, lineCounter });
    if (document.errors.length > 0) throw document.errors[0];
    const value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
    const positionOf = (path: readonly (string | number)[]) => {
      const offset = offsetOf(document.contents, path);
      return offset === undefined ? undefined : lineCounter.linePos(offset);
    };
    return { value, positionOf };
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      throw new InputError(at ? `${file}:${at.line}:${at.col}` : file, undefined, `not valid YAML: ${yamlErrorReason(error)}`);
    }
    // The yaml package stops an alias bomb with a ReferenceError while building the value.
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new InputError(file, undefined, `not read: its YAML aliases expand too far (more than ${MAX_YAML_ALIASES} uses); write the values out`);
    }
    throw error;
  }
}

/** The source offset of the key (in a map) or item (in a sequence) at `path` below `node`. */
function offsetOf(node: unknown, path: readonly (string | number)[]): number | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return (node as Node | null)?.range?.[0];
  if (isMap(node)) {
    const pair = node.items.find((item) => String((item.key as Node & { value?: unknown } | null)?.value ?? item.key) === String(head));
    if (!pair) return undefined;
    return rest.length === 0 ? (pair.key as Node | null)?.range?.[0] : offsetOf(pair.value, rest);
  }
  if (isSeq(node)) {
    const item = node.items[Number(head)];
    return item === undefined ? undefined : offsetOf(item, rest);
  }
  return undefined;
}

/** The parser's reason for a YAML error, without the position its message repeats. */
export function yamlErrorReason(error: YAMLError): string {
  return error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").trim();
}
