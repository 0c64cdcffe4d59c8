// The IR's text form (printPolicy): a small policy printed whole, exactly as a reader sees it from
// `policypack rego build --emit ir`.

import { describe, expect, it } from "vitest";
import { planRego } from "../../../src/compiler/index.ts";
import { printPolicy } from "../../../src/compiler/ir/print.ts";

const POLICY = `package demo

default allow := false

allow if {
  some user in input.users
  user.roles[_] == "admin"
  not user.blocked
}

names := {u.name | some u in input.users}

tested if allow with input.users as [{"roles": ["admin"]}]
`;

const EXPECTED = `strings
  0 "users"
  1 "roles"
  2 "admin"
  3 "blocked"
  4 "name"
builtins
files
  0 demo.rego

plan demo/allow
  block
    Call g0.data.demo.allow(%0, %1) -> %2
    ResultSetAdd %2

plan demo/names
  block
    Call g0.data.demo.names(%0, %1) -> %2
    ResultSetAdd %2

plan demo/tested
  block
    Call g0.data.demo.tested(%0, %1) -> %2
    ResultSetAdd %2

func g0.data.demo.allow(%0, %1) -> %2    # data.demo.allow
  block
    Dot %0 "users" -> %3
    Scan %3 -> key %4 value %5
      Dot %5 "roles" -> %8
      Scan %8 -> key %9 value %10
        Equal %10 "admin"
        Not
          Dot %5 "blocked" -> %13
          NotEqual %13 false
        AssignVarOnce true -> %2    @ demo.rego:5:1
  block
    IsUndefined %2
    AssignVar false -> %2
  block
    ReturnLocal %2

func g0.data.demo.names(%0, %1) -> %2    # data.demo.names
  block
    MakeSet -> %3
    Block
      block
        Dot %0 "users" -> %4
        Scan %4 -> key %5 value %6
          Dot %6 "name" -> %9
          SetAdd %9 -> %3
    AssignVarOnce %3 -> %2    @ demo.rego:11:1
  block
    ReturnLocal %2

func g0.data.demo.tested(%0, %1) -> %2    # data.demo.tested
  block
    MakeConstant ["admin"] -> %3
    MakeConstant {"roles": ["admin"]} -> %4
    MakeConstant [{"roles": ["admin"]}] -> %5
    ResetLocal %6
    With %0["users"] = %5
      Call g0.data.demo.allow(%0, %1) -> %8    @ demo.rego:13:11
      NotEqual %8 false
      AssignVar true -> %6
    IsDefined %6
    AssignVarOnce true -> %2    @ demo.rego:13:1
  block
    ReturnLocal %2
`;

describe("printPolicy", () => {
  const policy = () => planRego([{ file: "demo.rego", text: POLICY, regoVersion: 1 }], ["demo/allow", "demo/names", "demo/tested"]);

  it("prints the string table, the plans and the functions with nested blocks indented", () => {
    expect(printPolicy(policy())).toBe(EXPECTED);
  });

  it("prints the same text for the same policy", () => {
    expect(printPolicy(policy())).toBe(printPolicy(policy()));
  });

  it("prints numbers from the string table, built-ins with their arity, and every statement's own fields", () => {
    const text = printPolicy(planRego([{ file: "n.rego", text: "package n\np := [x | x := 1.5 * count(input.xs)]\n", regoVersion: 1 }], ["n/p"]));
    expect(text).toContain("builtins\n  count/1\n  mul/2\n");
    expect(text).toContain(`    MakeArray capacity 0 -> %3
    Block
      block
        MakeNumberRef 1.5 -> %4
        Dot %0 "xs" -> %5
        Call count(%5) -> %6    @ n.rego:2:22
        Call mul(%4, %6) -> %7    @ n.rego:2:16
        ArrayAppend %7 -> %3
`);
  });
});
