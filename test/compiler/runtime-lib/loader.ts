// Compiles test/compiler/runtime-lib/harness.ts (AssemblyScript) together with
// src/compiler/runtime/assembly/lib/ and instantiates it. The binary is cached in
// build/test/ under a hash of the sources, so the test files share one compile.

import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const libDir = join(repoRoot, "src/compiler/runtime/assembly/lib");
const harnessPath = join(here, "harness.ts");
const cacheDir = join(repoRoot, "build/test");

interface RawExports {
  memory: WebAssembly.Memory;
  __new(size: number, id: number): number;
  __pin(ptr: number): number;
  __unpin(ptr: number): void;
  [name: string]: unknown;
}

/** AssemblyScript's class id for String. */
const STRING_ID = 2;

function sourceHash(): string {
  const hash = createHash("sha256");
  const libFiles = readdirSync(libDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const files = [harnessPath, ...libFiles.map((e) => join(e.parentPath, e.name)).sort()];
  for (const file of files) {
    hash.update(file);
    hash.update(readFileSync(file));
  }
  hash.update("assemblyscript@0.28.20 incremental O0");
  return hash.digest("hex").slice(0, 16);
}

async function compile(): Promise<Uint8Array> {
  let binary: Uint8Array | null = null;
  const messages: string[] = [];
  const sink = {
    write(chunk: string | Uint8Array): void {
      messages.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
    },
  };
  // Loaded only when compiling: importing the compiler costs seconds.
  const { default: asc } = await import("assemblyscript/asc");
  const { error } = await asc.main(
    [harnessPath, "--outFile", "harness.wasm", "--runtime", "incremental", "--exportRuntime", "--noColors"],
    {
      stdout: sink,
      stderr: sink,
      writeFile(name: string, contents: Uint8Array | string) {
        if (name.endsWith(".wasm") && typeof contents !== "string") binary = contents;
      },
    },
  );
  if (error || binary === null) {
    throw new Error(`asc failed to compile ${harnessPath}: ${error?.message ?? "no binary"}\n${messages.join("")}`);
  }
  return binary;
}

/** A compile lock older than this is taken to belong to a crashed run. */
const STALE_LOCK_MS = 120_000;

async function loadBinary(): Promise<Uint8Array> {
  const cached = join(cacheDir, `runtime-lib-${sourceHash()}.wasm`);
  const lock = `${cached}.lock`;
  mkdirSync(cacheDir, { recursive: true });
  // One test worker compiles (holding the lock directory); the others wait for its file.
  for (;;) {
    if (existsSync(cached)) return readFileSync(cached);
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - lockAge(lock) > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((done) => setTimeout(done, 100));
      continue;
    }
    try {
      const binary = await compile();
      const temp = `${cached}.${randomUUID()}.tmp`;
      writeFileSync(temp, binary);
      renameSync(temp, cached);
      return binary;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function lockAge(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now(); // released meanwhile
  }
}

export interface RuntimeLib {
  regexMatch(pattern: string, s: string): string;
  /** By the DFA a constant pattern gets: "true", "false" or "no dfa". */
  regexMatchDfa(pattern: string, s: string): string;
  /** `delimiters` null is OPA's null; [] is OPA's empty array. */
  globMatch(pattern: string, delimiters: string[] | null, s: string): string;
  unitsParse(s: string): number | string;
  unitsParseBytes(s: string): bigint | string;
  countCodePoints(s: string): number;
  indexOfCodePoints(s: string, search: string): number;
  substringCodePoints(s: string, start: number, length: number): string;
  trimChars(s: string, cutset: string): string;
  trimLeft(s: string, cutset: string): string;
  trimRight(s: string, cutset: string): string;
  trimPrefix(s: string, prefix: string): string;
  trimSuffix(s: string, suffix: string): string;
  trimSpace(s: string): string;
  splitString(s: string, separator: string): string[];
  replaceAll(s: string, old: string, replacement: string): string;
  lowerCase(s: string): string;
  upperCase(s: string): string;
  formatInt(n: number, base: number): string;
  parseNumber(s: string): number | string;
  compareCodePoints(a: string, b: string): number;
}

/** Time a test file should allow for loadRuntimeLib when the binary is not cached yet. */
export const LOAD_TIMEOUT_MS = 120_000;

/** Errors come back as strings starting with "error: ". */
export async function loadRuntimeLib(): Promise<RuntimeLib> {
  const module = await WebAssembly.compile(new Uint8Array(await loadBinary()));
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`AssemblyScript abort at ${line}:${column}`);
      },
    },
  });
  const raw = instance.exports as unknown as RawExports;
  const fn = (name: string) => raw[name] as (...args: (number | bigint)[]) => number | bigint;

  const lower = (s: string): number => {
    const ptr = raw.__pin(raw.__new(s.length * 2, STRING_ID));
    const units = new Uint16Array(raw.memory.buffer, ptr, s.length);
    for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
    return ptr;
  };
  const lift = (ptr: number): string => {
    const bytes = new Uint32Array(raw.memory.buffer, ptr - 4, 1)[0]!;
    const units = new Uint16Array(raw.memory.buffer, ptr, bytes / 2);
    let out = "";
    for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.subarray(i, i + 4096));
    return out;
  };
  /** Calls an export, lowering string arguments and pinning them for the call. */
  const call = (name: string, ...args: (string | number)[]): number | bigint => {
    const pinned: number[] = [];
    const lowered = args.map((a) => {
      if (typeof a !== "string") return a;
      const ptr = lower(a);
      pinned.push(ptr);
      return ptr;
    });
    try {
      return fn(name)(...lowered);
    } finally {
      for (const ptr of pinned) raw.__unpin(ptr);
    }
  };
  const callString = (name: string, ...args: (string | number)[]): string => lift(Number(call(name, ...args)));

  return {
    regexMatch: (pattern, s) => callString("regexMatch", pattern, s),
    regexMatchDfa: (pattern, s) => callString("regexMatchDfa", pattern, s),
    globMatch: (pattern, delimiters, s) =>
      callString("globMatch", pattern, delimiters === null ? "\u0000" : delimiters.join("\u0001"), s),
    unitsParse: (s) => {
      const error = callString("unitsParseError", s);
      return error !== "" ? `error: ${error}` : Number(callString("unitsParseValue", s));
    },
    unitsParseBytes: (s) => {
      const error = callString("unitsParseBytesError", s);
      return error !== "" ? `error: ${error}` : BigInt(callString("unitsParseBytesValue", s));
    },
    countCodePoints: (s) => Number(call("countCodePoints", s)),
    indexOfCodePoints: (s, search) => Number(call("indexOfCodePoints", s, search)),
    substringCodePoints: (s, start, length) => callString("substringCodePoints", s, start, length),
    trimChars: (s, cutset) => callString("trimChars", s, cutset),
    trimLeft: (s, cutset) => callString("trimLeft", s, cutset),
    trimRight: (s, cutset) => callString("trimRight", s, cutset),
    trimPrefix: (s, prefix) => callString("trimPrefix", s, prefix),
    trimSuffix: (s, suffix) => callString("trimSuffix", s, suffix),
    trimSpace: (s) => callString("trimSpace", s),
    splitString: (s, separator) => {
      const encoded = callString("splitString", s, separator);
      const bar = encoded.indexOf("|");
      const count = Number(encoded.slice(0, bar));
      return count === 0 ? [] : encoded.slice(bar + 1).split("\u0000");
    },
    replaceAll: (s, old, replacement) => callString("replaceAll", s, old, replacement),
    lowerCase: (s) => callString("lowerCase", s),
    upperCase: (s) => callString("upperCase", s),
    formatInt: (n, base) => callString("formatInt", n, base),
    parseNumber: (s) => {
      const error = callString("parseNumberError", s);
      return error !== "" ? `error: ${error}` : Number(call("parseNumberValue", s));
    },
    compareCodePoints: (a, b) => Number(call("compareCodePoints", a, b)),
  };
}
