import { describe, expect, it } from "vitest";
import hostIpc from "../../rules/host-ipc/rule.ts";
import { EXEMPTION_ANNOTATION, withExemptionAnnotation } from "../../src/model/index.ts";
import { evaluate } from "../../src/lower/reference/evaluate.ts";

const pod = (annotations?: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "shm", ...(annotations ? { annotations } : {}) },
  spec: { hostIPC: true, containers: [{ name: "app", image: "app:1" }] },
});

describe("withExemptionAnnotation", () => {
  const exemptable = withExemptionAnnotation(hostIpc, EXEMPTION_ANNOTATION);
  const messages = (object: object) => evaluate(exemptable, object as never, {}).map((v) => v.message);
  const violation = ["Pod shm shares the host IPC namespace (spec.hostIPC is true)"];

  it.each([
    ["host-ipc", []],
    ["host-pid, host-ipc", []],
    ["host-ipc,host-pid", []],
    [" host-ipc ", []],
    ["host-pid", violation],
    ["host-ipc-extra", violation],
    ["not-host-ipc", violation],
    ["", violation],
  ])("annotation %j → %j", (value, expected) => {
    expect(messages(pod({ [EXEMPTION_ANNOTATION]: value }))).toEqual(expected);
  });

  it("leaves objects without the annotation checked", () => {
    expect(messages(pod())).toEqual(violation);
  });

  it("does nothing to the rule unless applied", () => {
    expect(evaluate(hostIpc, pod({ [EXEMPTION_ANNOTATION]: "host-ipc" }), {}).map((v) => v.message)).toEqual(violation);
  });
});
