// Custom rule files are type-checked with the TypeScript compiler before they load, so a field
// that does not exist on the Kubernetes type (object.spec.hostIPCC) stops the command with the
// file, line and column instead of emitting rules that read nothing. The built-in rules are checked
// by the repository's own typecheck, not here. A file that passed is remembered by content (its
// own and that of every local file it imports) in the cache folder, so an unchanged rule costs a
// few file reads the next time and the compiler is not even loaded.

import { readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { cacheDir, sha256, writeCacheFile } from "../cache.ts";
import { InputError } from "../errors.ts";
import { packageFile } from "../package-root.ts";
import { displayPath } from "./rules.ts";

/** What a rule file is checked against: changing any of these invalidates every cached verdict. */
function toolchainKey(): string {
  const manifest = JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
  return [manifest.version, manifest.dependencies["typescript"], manifest.dependencies["kubernetes-types"]].join(" ");
}

/** The files a passed check depended on, with the hash of their content then. */
interface Verdict {
  files: Array<{ path: string; sha256: string }>;
}

function verdictFile(file: string, toolchain: string): string {
  return join(cacheDir(), "typecheck", `${sha256(`${toolchain}\n${resolve(file)}`)}.json`);
}

function stillValid(verdictPath: string): boolean {
  let verdict: Verdict;
  try {
    verdict = JSON.parse(readFileSync(verdictPath, "utf8")) as Verdict;
    return verdict.files.every(({ path, sha256: hash }) => sha256(readFileSync(path, "utf8")) === hash);
  } catch {
    return false;
  }
}

function remember(verdictPath: string, files: string[]): void {
  const verdict: Verdict = { files: files.map((path) => ({ path, sha256: sha256(readFileSync(path, "utf8")) })) };
  writeCacheFile(verdictPath, JSON.stringify(verdict));
}

/**
 * Type-checks the rule files (absolute paths) and the files they import from the rule folders
 * `ruleDirs` (what they import from packages is not the user's to fix); throws InputError
 * `file:line:col: message` on the first error.
 */
export async function typecheckRuleFiles(files: string[], ruleDirs: string[]): Promise<void> {
  const toolchain = toolchainKey();
  const pending = files.filter((file) => !stillValid(verdictFile(file, toolchain)));
  if (pending.length === 0) return;
  const { default: ts } = await import("typescript");
  const program = ts.createProgram(pending, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: [],
  });
  const own = (path: string) => ruleDirs.some((dir) => !relative(dir, resolve(path)).startsWith(".."));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program
      .getSourceFiles()
      .filter((source) => own(source.fileName))
      .flatMap((source) => [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]),
  ];
  const error = diagnostics.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) {
    // A rule reads objects through Path<T>; the user knows them by their Kubernetes type, T.
    const message = ts.flattenDiagnosticMessageText(error.messageText, " ").replace(/'Path<([^']*)>'/g, "'$1'");
    if (!error.file || error.start === undefined) throw new InputError(displayPath(pending[0]!), undefined, message);
    const { line, character } = error.file.getLineAndCharacterOfPosition(error.start);
    throw new InputError(`${displayPath(error.file.fileName)}:${line + 1}:${character + 1}`, undefined, message);
  }
  // A rule's verdict holds while it and the local files the program read (not the packages') are unchanged.
  const local = program
    .getSourceFiles()
    .map((source) => resolve(source.fileName))
    .filter((path) => !path.split(sep).includes("node_modules"));
  for (const file of pending) remember(verdictFile(file, toolchain), local);
}
