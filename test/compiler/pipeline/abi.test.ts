// How compiled modules behave under the SDK's use of the ABI: several entrypoints, data replaced
// between evaluations, and inputs larger than the initial memory.

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/compiler/index.ts";

const POLICY = `package app

default allow := false

allow if input.user in data.admins

names contains u.name if some u in input.users

total := sum([u.size | some u in input.users])
`;

const compile = () => compileRego([{ file: "app.rego", text: POLICY, regoVersion: 1 }], ["app/allow", "app/names", "app/total"]);

describe("a module with several entrypoints", () => {
  it("lists them by name and evaluates each by name or by index", async () => {
    const policy = await loadPolicy(compile());
    expect(policy.entrypoints).toEqual({ "app/allow": 0, "app/names": 1, "app/total": 2 });
    policy.setData({ admins: ["alice"] });
    const input = { user: "alice", users: [{ name: "b", size: 2 }, { name: "a", size: 3 }] };
    expect(policy.evaluate(input, "app/allow")).toEqual([{ result: true }]);
    expect(policy.evaluate(input, 1)).toEqual([{ result: ["a", "b"] }]);
    expect(policy.evaluate(input, "app/total")).toEqual([{ result: 5 }]);
  });

  it("sees data replaced between evaluations", async () => {
    const policy = await loadPolicy(compile());
    policy.setData({ admins: ["alice"] });
    expect(policy.evaluate({ user: "bob" }, "app/allow")).toEqual([{ result: false }]);
    policy.setData({ admins: ["bob"] });
    expect(policy.evaluate({ user: "bob" }, "app/allow")).toEqual([{ result: true }]);
    expect(policy.evaluate({ user: "alice" }, "app/allow")).toEqual([{ result: false }]);
  });

  it("grows memory for inputs larger than the initial pages", async () => {
    const policy = await loadPolicy(compile());
    policy.setData({ admins: [] });
    // About 3 MB of JSON, well past the SDK's default of 5 pages (320 KiB).
    const users = Array.from({ length: 40_000 }, (_, i) => ({ name: `user-${i}-${"x".repeat(40)}`, size: 1 }));
    expect(policy.evaluate({ users }, "app/total")).toEqual([{ result: 40_000 }]);
    const names = policy.evaluate({ users }, "app/names") as Array<{ result: string[] }>;
    expect(names[0].result).toHaveLength(40_000);
    expect(names[0].result[0]).toBe(`user-0-${"x".repeat(40)}`);
    // A small evaluation afterwards still works on the same instance.
    expect(policy.evaluate({ users: [{ name: "z", size: 7 }] }, "app/total")).toEqual([{ result: 7 }]);
  });
});
