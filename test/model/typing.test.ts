// Field paths are checked by the TypeScript compiler against the Kubernetes types: a rule with a
// misspelt field, or a value of the wrong type for a field, does not compile.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const MODEL = fileURLToPath(new URL("../../src/model/index.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "policypack-typing-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The compiler's diagnostics for a rule file whose checks are `checks`, as `TS<code>: message`. */
function diagnostics(checks: string): string[] {
  const file = join(dir, `rule-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(
    file,
    `import { containers, defineRule, equals, forEach, msg, when, workloads } from ${JSON.stringify(MODEL)};
export default defineRule({
  id: "typing-probe", title: "t", description: "d", severity: "low", category: "Test", profiles: [],
  references: {}, remediation: "r", match: workloads,
  checks: ({ pod, object }) => [${checks}],
});
`,
  );
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0]}`);
}

describe("typed field paths", () => {
  it("accept a correct rule", () => {
    expect(diagnostics("when(equals(pod.spec.hostIPC, true), msg`${object.metadata.name}`)")).toEqual([]);
  });

  it("reject a misspelt field", () => {
    expect(diagnostics("when(equals(pod.spec.hostIPc, true), msg`x`)")).toEqual([
      "TS2551: Property 'hostIPc' does not exist on type 'Path<PodSpec>'. Did you mean 'hostIPC'?",
    ]);
  });

  it("reject a misspelt field inside a container iteration", () => {
    expect(diagnostics("forEach(containers(pod), (c) => when(equals(c.securityContext.privilegd, true), msg`x`))")).toEqual([
      "TS2551: Property 'privilegd' does not exist on type 'Path<SecurityContext | undefined>'. Did you mean 'privileged'?",
    ]);
  });

  it("reject a value of the wrong type for the field", () => {
    expect(diagnostics('when(equals(pod.spec.hostIPC, "yes"), msg`x`)')).toEqual([
      "TS2345: Argument of type '\"yes\"' is not assignable to parameter of type 'Operand<boolean>'.",
    ]);
  });
});
