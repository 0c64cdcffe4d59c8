// time.now_ns comes from the host (opa_builtin0, as in OPA's own Wasm modules), once per
// evaluation: the module keeps the host's first answer until the next evaluation.

import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { HOST_BUILTINS } from "../../../src/compiler/host-builtins.ts";
import { compileRego } from "../../../src/compiler/index.ts";

const POLICY = `package t

now := time.now_ns()

p := [time.now_ns(), now, time.now_ns()]
`;

const compile = () => compileRego([{ file: "t.rego", text: POLICY, regoVersion: 1 }], ["t/p"]);

describe("time.now_ns", () => {
  it("asks the host once per evaluation and gives every call that answer", async () => {
    let calls = 0;
    const policy = await loadPolicy(compile(), undefined, { "time.now_ns": () => ++calls * 1000 });
    expect(policy.evaluate({}, "t/p")).toEqual([{ result: [1000, 1000, 1000] }]);
    expect(calls).toBe(1);
    expect(policy.evaluate({}, "t/p")).toEqual([{ result: [2000, 2000, 2000] }]);
    expect(calls).toBe(2);
  });

  it("is the current time in nanoseconds, exactly as an integer, from policypack's host", async () => {
    const policy = await loadPolicy(compile(), undefined, HOST_BUILTINS);
    const before = BigInt(Date.now()) * 1_000_000n;
    // Dumped as text so that no digit is lost to a JavaScript number.
    const [{ result }] = policy.evaluate({}, "t/p") as [{ result: number[] }];
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    const text = new TextDecoder().decode(new Uint8Array((HOST_BUILTINS["time.now_ns"]!() as ArrayBuffer)));
    expect(text).toMatch(/^[1-9][0-9]{18}$/);
    const now = BigInt(text);
    expect(now >= before && now <= after + 1_000_000_000n).toBe(true);
    expect(result[0]).toBe(result[1]);
    expect(BigInt(result[0]!) >= before - 1_000_000n && BigInt(result[0]!) <= after).toBe(true);
  });
});
