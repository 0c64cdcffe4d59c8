import { describe, expect, it } from "vitest";
import { CompileError } from "../../../src/compiler/errors.ts";
import { parseModule } from "../../../src/compiler/syntax/parser.ts";

/** The message of the CompileError that parsing throws. */
function error(src: string, regoVersion: 0 | 1 = 1): string {
  try {
    parseModule(src, "policy.rego", { regoVersion });
  } catch (e) {
    expect(e).toBeInstanceOf(CompileError);
    return (e as CompileError).message;
  }
  throw new Error("expected a syntax error");
}

describe("lexical errors", () => {
  it("reports unterminated strings and bad escapes where they are", () => {
    expect(error('package t\np := "abc')).toBe(
      'policy.rego:2:6: unterminated string (hint: close it with `"` on the same line, or use a `raw string` in backticks)',
    );
    expect(error('package t\np := "a\\qb"')).toBe(
      'policy.rego:2:8: invalid escape `\\q` in string (hint: valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
    );
    expect(error('package t\np := "\\u12"')).toBe("policy.rego:2:7: invalid \\u escape in string (hint: write exactly four hex digits, e.g. \\u00e9)");
    expect(error("package t\np := `abc")).toBe("policy.rego:2:6: unterminated raw string (hint: close it with a backtick)");
  });

  it("reports malformed numbers and stray characters", () => {
    expect(error("package t\np := 12abc")).toBe("policy.rego:2:6: malformed number `12a` (hint: separate the number from the name that follows it)");
    expect(error("package t\np := 1e")).toBe("policy.rego:2:8: malformed number: expected digits after the exponent");
    expect(error("package t\np := 007")).toBe("policy.rego:2:6: malformed number `007`: leading zero");
    expect(error("package t\np := 1 ^ 2")).toBe('policy.rego:2:8: unexpected character "^"');
  });

  it("reports numbers the runtime cannot hold", () => {
    expect(error("package t\np := [1, 1e100001]")).toBe("policy.rego:2:10: number `1e100001` is too big (OPA refuses 2^100000 and beyond)");
    expect(error(`package t\np := 1${"0".repeat(30200)}`)).toMatch(/^policy\.rego:2:6: number `10+` is too big/);
    expect(error("package t\np := -1.5e-4001")).toBe(
      "policy.rego:2:7: number `1.5e-4001` is out of range: a number that is not an integer may have a decimal exponent of at most 4000 here",
    );
    expect(error(`package t\np := 0.${"0".repeat(4000)}1`)).toMatch(/^policy\.rego:2:6: number `0\.0+1` is out of range/);
    // Within the bound, beyond doubles' range: held as its text.
    expect(() => parseModule("package t\np := [1.5e-400, 1.5e-3999]", "policy.rego", { regoVersion: 1 })).not.toThrow();
    // An integer of the same size is held exactly.
    expect(() => parseModule(`package t\np := 1${"0".repeat(309)}.0`, "policy.rego", { regoVersion: 1 })).not.toThrow();
  });
});

describe("syntax errors name what was found and what was expected", () => {
  it("in module structure", () => {
    expect(error("p := 1")).toBe("policy.rego:1:1: expected `package` declaration, found `p`");
    expect(error("package")).toBe("policy.rego:1:8: expected a name after `package`, found end of file");
    expect(error("package t\np := 1\nimport data.x")).toBe("policy.rego:3:1: import after the first rule (hint: move every import above the rules)");
    expect(error("package t\nimport foo.bar")).toBe(
      "policy.rego:2:1: cannot import `foo.bar` (hint: imports start with `data.`, `input`, `future.keywords` or `rego.v1`)",
    );
    expect(error("package t\nimport future.keywords.maybe")).toBe(
      "policy.rego:2:24: unknown future keyword `maybe` (hint: known keywords: contains, every, if, in)",
    );
    expect(error("package t\nimport rego.v2")).toBe("policy.rego:2:1: unknown import `rego.v2` (hint: did you mean `import rego.v1`?)");
    expect(error("package t\n42")).toBe("policy.rego:2:1: expected a rule, found number 42");
  });

  it("in rule heads", () => {
    expect(error("package t\np")).toBe("policy.rego:2:2: expected `if`, `:=`, `=` or `contains` after the rule name, found end of file");
    expect(error("package t\np[x")).toBe("policy.rego:2:4: expected `]`, found end of file");
    expect(error("package t\nf(x, y := 1")).toBe("policy.rego:2:8: expected `,` or `)` after a function argument, found `:=`");
    expect(error("package t\ndefault p")).toBe("policy.rego:2:10: expected `:=` or `=` and a value after `default`, found end of file");
    expect(error("package t\ndefault p := 1 if { true }")).toBe("policy.rego:2:16: a default rule cannot have a body");
    expect(error("package t\np contains x if { x := 1 } else := 2 if { true }")).toBe(
      "policy.rego:2:28: `else` on a partial rule (hint: only complete rules and functions can have `else`)",
    );
    expect(error("package t\np := 1\nelse := 2 if { true }")).toBe("policy.rego:3:1: `else` after a rule without a body");
    expect(error("package t\np := 1 if { input.a } else")).toBe("policy.rego:2:27: expected `:=`, `=` or `if` after `else`, found end of file");
    expect(error("package t\np[x].y := 1")).toBe(
      "policy.rego:2:3: rule heads with a variable before the last segment are not supported (hint: use a constant string, or a single `[key]` at the end)",
    );
  });

  it("in bodies", () => {
    expect(error("package t\np if {\n  x := 1 y := 2\n}")).toBe(
      "policy.rego:3:10: expected `;`, a line break or `}` after the expression, found `y`",
    );
    expect(error("package t\np if {}")).toBe("policy.rego:2:6: empty rule body (hint: remove the `{ }` or put an expression in it)");
    expect(error("package t\np if { x := }")).toBe("policy.rego:2:13: expected a term, found `}`");
    expect(error("package t\np if { x := [1, 2 }")).toBe("policy.rego:2:19: expected `,` or `]`, found `}`");
    expect(error('package t\np if { x := {"a" 1} }')).toBe("policy.rego:2:18: expected `,` or `}`, found number 1");
    expect(error("package t\np if { x := (1 + 2 }")).toBe("policy.rego:2:20: expected `)` to close `(`, found `}`");
    expect(error("package t\np if { f(x }")).toBe("policy.rego:2:12: expected `,` or `)` in the argument list, found `}`");
    expect(error("package t\np if { x[0](1) }")).toBe(
      "policy.rego:2:12: only named functions can be called (hint: call a function by name, e.g. `f(x)` or `object.get(o, k, d)`)",
    );
    expect(error("package t\np if { some 1 }")).toBe("policy.rego:2:13: `some` declares variables: expected a variable name (hint: write `some x` or `some x in xs`)");
    expect(error("package t\np if { every x in xs }")).toBe("policy.rego:2:22: expected `{` to start the body of `every`, found `}`");
    expect(error("package t\np if { x with input.a }")).toBe("policy.rego:2:23: expected `as`, found `}`");
    expect(error("package t\np if { x with 1 as 2 }")).toBe(
      "policy.rego:2:15: the target of `with` must be `input`, `data` or a reference below them",
    );
    expect(error("package t\np if { x := input.\n}")).toBe("policy.rego:3:1: expected a field name after `.`, found `}`");
  });
});

describe("v0 forms in v1 modules", () => {
  it("rejects partial set rules written the v0 way, with the v1 spelling as hint", () => {
    expect(error('package t\nviolation[{"msg": msg}] {\n  msg := "m"\n}')).toBe(
      'policy.rego:2:1: `if` keyword is required before rule body (hint: `violation[{"msg": msg}] { … }` is a v0 partial set rule: use `violation contains {"msg": msg} if { … }` or pass --v0-compatible)',
    );
    expect(error("package t\ndeny[msg] if { msg := 1 }")).toBe(
      "policy.rego:2:1: `deny[msg]` without a value is a v0 partial set rule (hint: use `deny contains msg if { … }`, or `deny[msg] := true` for an object)",
    );
  });

  it("rejects bodies without `if`", () => {
    expect(error("package t\nallow {\n  true\n}")).toBe(
      "policy.rego:2:1: `if` keyword is required before rule body (hint: write `allow if { … }` or pass --v0-compatible)",
    );
    expect(error("package t\nf(x) = y { y := x }")).toBe(
      "policy.rego:2:1: `if` keyword is required before rule body (hint: write `f(x) = y if { … }` or pass --v0-compatible)",
    );
    expect(error("package t\np := 1 if { false } else := 2 { true }")).toBe(
      "policy.rego:2:31: `if` keyword is required before else body (hint: write `else := value if { … }` or pass --v0-compatible)",
    );
  });
});

describe("future keywords in v0 modules", () => {
  it("hints at the import when a keyword is used without it", () => {
    expect(error("package t\np contains x if { x := 1 }", 0)).toBe(
      "policy.rego:2:3: expected `{`, `if`, `:=` or `=` after the rule name, found `contains` (hint: `contains` is a keyword only after `import future.keywords.contains` or `import rego.v1` in v0 modules)",
    );
    expect(error("package t\np { x in xs }", 0)).toBe(
      "policy.rego:2:7: expected `;`, a line break or `}` after the expression, found `in` (hint: `in` is a keyword only after `import future.keywords.in` or `import rego.v1` in v0 modules)",
    );
    expect(error("package t\nimport future.keywords.in\np { x := in }", 0)).toBe("policy.rego:3:10: expected a term, found `in`");
  });
});
