// Where the reference evaluator's violations point (src/model/fields.ts): the deepest field the
// check reads that is set, else the nearest parent that is; below the pod of each kind, with the
// container list and the real index.

import { describe, expect, it } from "vitest";
import { loadRules } from "../../../src/catalog/rules.ts";
import { defaultConfig } from "../../../src/config/load.ts";
import { evaluate } from "../../../src/lower/reference/evaluate.ts";
import { type Json, type Rule, defaultParams } from "../../../src/model/index.ts";

const rules = new Map((await loadRules({ file: undefined, config: defaultConfig(), ruleDirs: [], docsDir: undefined })).map(({ rule }) => [rule.id, rule]));
const rule = (id: string): Rule => rules.get(id)!;

/** Each violation as [message, path]; the objects here are plain literals, hence `unknown`. */
const pointed = (id: string, object: unknown) => evaluate(rule(id), object as Json, defaultParams(rule(id))).map((v) => [v.message, v.path]);

const podSpec = {
  hostIPC: true,
  securityContext: { runAsNonRoot: true },
  containers: [
    { name: "app", image: "registry.example.com/app:1.0", resources: { limits: { cpu: "1" } } },
    { name: "sidecar", image: "busybox:1.36", securityContext: { privileged: true } },
  ],
  initContainers: [{ name: "init", image: "busybox:1.36", securityContext: { privileged: true }, resources: { requests: { cpu: "1" } } }],
};
const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: podSpec };
const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { template: { spec: podSpec } } };
const cronJob = {
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: { name: "web" },
  spec: { jobTemplate: { spec: { template: { spec: podSpec } } } },
};

describe("reference evaluator: each violation's path", () => {
  it("points below a Pod's spec, at the field the check reads, with the container list and index", () => {
    expect(pointed("privileged-containers", pod)).toEqual([
      ["Container sidecar is privileged (securityContext.privileged is true)", ["spec", "containers", 1, "securityContext", "privileged"]],
      ["Container init is privileged (securityContext.privileged is true)", ["spec", "initContainers", 0, "securityContext", "privileged"]],
    ]);
    expect(pointed("host-ipc", pod)).toEqual([["Pod web shares the host IPC namespace (spec.hostIPC is true)", ["spec", "hostIPC"]]]);
  });

  it("points below a Deployment's pod template", () => {
    expect(pointed("privileged-containers", deployment).map(([, path]) => path)).toEqual([
      ["spec", "template", "spec", "containers", 1, "securityContext", "privileged"],
      ["spec", "template", "spec", "initContainers", 0, "securityContext", "privileged"],
    ]);
    expect(pointed("host-ipc", deployment).map(([, path]) => path)).toEqual([["spec", "template", "spec", "hostIPC"]]);
  });

  it("points below a CronJob's job template", () => {
    expect(pointed("privileged-containers", cronJob).map(([, path]) => path)).toEqual([
      ["spec", "jobTemplate", "spec", "template", "spec", "containers", 1, "securityContext", "privileged"],
      ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "privileged"],
    ]);
  });

  it("points at the nearest set parent of a missing required field", () => {
    // cpu-limits checks spec.containers: the sidecar has no resources, app has limits.cpu.
    const missing = structuredClone(deployment);
    missing.spec.template.spec.containers[0]!.resources = { limits: {} } as never;
    expect(pointed("cpu-limits", missing)).toEqual([
      ["Container app does not set resources.limits.cpu", ["spec", "template", "spec", "containers", 0, "resources", "limits"]],
      ["Container sidecar does not set resources.limits.cpu", ["spec", "template", "spec", "containers", 1]],
    ]);
    // Without a pod spec at all, the nearest set parent is the template.
    const empty = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { template: {} } };
    expect(pointed("automount-service-account-token", empty)).toEqual([
      ["Deployment web does not set automountServiceAccountToken to false", ["spec", "template"]],
    ]);
  });

  it("never points at a field an exemption reads (the image, a Windows pod's os)", () => {
    // capabilities-restricted reads the image for exemptImages: with no securityContext, the
    // violation is at the container, not at its image.
    expect(pointed("capabilities-restricted", pod).map(([, path]) => path)).toContainEqual(["spec", "containers", 0]);
    const linux = { ...pod, spec: { ...podSpec, os: { name: "linux" } } };
    expect(pointed("host-users", linux)).toEqual([
      ["Pod web does not set spec.hostUsers to false, so it runs in the node's user namespace", ["spec"]],
    ]);
  });

  it("gives elements of other collections their index or key", () => {
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "anon" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [
        { kind: "User", name: "alice" },
        { kind: "User", name: "system:anonymous" },
        { kind: "User", name: "system:anonymous" },
      ],
    };
    expect(pointed("anonymous-binding", binding).map(([, path]) => path)).toEqual([
      ["subjects", 1, "name"],
      ["subjects", 2, "name"],
    ]);
    const annotated = { ...pod, metadata: { name: "web", annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } } };
    expect(pointed("apparmor", annotated).map(([, path]) => path)).toEqual([
      ["metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/app"],
    ]);
  });
});
