// The field check on our own fixtures (shapes learnt from Fairwinds' and Polaris' hostIPC
// examples): exact findings with the line and column of the offending key.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFields, fieldCheckApplies } from "../../src/scan/field-check/index.ts";
import { kindType } from "../../src/scan/field-check/schema.ts";
import type { ScanObject } from "../../src/scan/types.ts";
import { readManifests } from "../../src/scan/read.ts";
import { fixtureDir, loadFixtures } from "../../src/catalog/fixtures.ts";
import { loadRules } from "../../src/catalog/rules.ts";
import { loadConfig } from "../../src/config/load.ts";
import { terraformScanObjects } from "../../src/terraform/index.ts";

const FIXTURES = new URL("./fixtures/field-check/", import.meta.url);

function fixture(name: string): ScanObject[] {
  return readManifests(readFileSync(new URL(name, FIXTURES), "utf8"), `fixtures/${name}`).objects;
}

function check(name: string) {
  return fixture(name).flatMap(checkFields);
}

/** A one-document manifest written inline: `object` in YAML. */
function inline(yaml: string): ScanObject {
  return readManifests(yaml, "inline.yaml").objects[0]!;
}

describe("field check", () => {
  it("reports hostIPC written inside a container as belonging in the pod spec", () => {
    expect(check("container-host-ipc.yaml")).toEqual([
      {
        ruleId: "unknown-field",
        severity: "high",
        message:
          "spec.containers[0].hostIPC is not a field of Container: hostIPC belongs in the pod spec (spec.hostIPC); as written it is ignored and the pod is not protected",
        path: "spec.containers[0].hostIPC",
        location: { file: "fixtures/container-host-ipc.yaml", line: 12, column: 7 },
        resource: { apiVersion: "v1", kind: "Pod", name: "web", namespace: "shop" },
      },
    ]);
  });

  it("reports a field no type declares with the plain message, at medium severity", () => {
    expect(check("container-host-ipc-set.yaml")).toEqual([
      {
        ruleId: "unknown-field",
        severity: "medium",
        message: "spec.containers[0].hostIPCSet is not a field of Container; as written it is ignored",
        path: "spec.containers[0].hostIPCSet",
        location: { file: "fixtures/container-host-ipc-set.yaml", line: 10, column: 7 },
        resource: { apiVersion: "v1", kind: "Pod", name: "web" },
      },
    ]);
  });

  it("places privileged written under a Deployment's container in that container's securityContext", () => {
    expect(check("deployment-privileged.yaml")).toEqual([
      {
        ruleId: "unknown-field",
        severity: "high",
        message:
          "spec.template.spec.containers[1].privileged is not a field of Container: privileged belongs in the container's securityContext (spec.template.spec.containers[1].securityContext.privileged); as written it is ignored and the container is not protected",
        path: "spec.template.spec.containers[1].privileged",
        location: { file: "fixtures/deployment-privileged.yaml", line: 17, column: 11 },
        resource: { apiVersion: "apps/v1", kind: "Deployment", name: "agent" },
      },
    ]);
  });

  it("adapts the pod spec path to a CronJob", () => {
    const [finding] = check("cronjob-host-ipc.yaml");
    expect(finding!.message).toBe(
      "spec.jobTemplate.spec.template.spec.containers[0].hostIPC is not a field of Container: hostIPC belongs in the pod spec (spec.jobTemplate.spec.template.spec.hostIPC); as written it is ignored and the pod is not protected",
    );
    expect(finding!.location).toEqual({ file: "fixtures/cronjob-host-ipc.yaml", line: 15, column: 15 });
  });

  it("gives a typo of a field the plain message", () => {
    const findings = checkFields(inline("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      hostIPCC: false\n"));
    expect(findings.map((f) => [f.message, f.severity, f.location.line, f.location.column])).toEqual([
      ["spec.containers[0].hostIPCC is not a field of Container; as written it is ignored", "medium", 6, 7],
    ]);
    expect(findings[0]!.resource).toEqual({ apiVersion: "v1", kind: "Pod" });
  });

  it("names the place nearest the written field among several", () => {
    const messages = checkFields(
      inline(`apiVersion: apps/v1
kind: DaemonSet
metadata: { name: node-agent }
spec:
  template:
    spec:
      runAsNonRoot: true
      securityContext: { privileged: true }
      initContainers:
        - name: setup
          labels: { app: setup }
`),
    ).map((f) => f.message);
    expect(messages).toEqual([
      "spec.template.spec.runAsNonRoot is not a field of PodSpec: runAsNonRoot belongs in the pod's securityContext (spec.template.spec.securityContext.runAsNonRoot); as written it is ignored and the pod is not protected",
      "spec.template.spec.securityContext.privileged is not a field of PodSecurityContext: privileged belongs in the container's securityContext (spec.template.spec.containers[].securityContext.privileged); as written it is ignored and the container is not protected",
      "spec.template.spec.initContainers[0].labels is not a field of Container: labels belongs in metadata (spec.template.metadata.labels); as written it is ignored",
    ]);
  });

  it("never sends a field to status, which manifests do not write", () => {
    const [finding] = checkFields(inline("apiVersion: v1\nkind: Pod\nspec:\n  podIP: 10.0.0.1\n"));
    expect(finding!.message).toBe("spec.podIP is not a field of PodSpec; as written it is ignored");
  });

  it("checks policy/v1beta1 PodSecurityPolicy, removed from the API but still in manifests", () => {
    const [finding] = checkFields(inline("apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nspec:\n  privilegd: false\n"));
    expect(finding!.message).toBe("spec.privilegd is not a field of PodSecurityPolicySpec; as written it is ignored");
  });

  it("finds nothing in valid objects with free-form maps, IntOrString and Quantity values", () => {
    const objects = fixture("clean.yaml");
    expect(objects.map((o) => o.object.kind)).toEqual([
      "Namespace", "ServiceAccount", "ConfigMap", "Secret", "Deployment", "StatefulSet", "Service", "Ingress",
      "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Role", "ClusterRoleBinding", "Job",
      "PodSecurityPolicy", "CustomResourceDefinition",
    ]);
    expect(objects.flatMap(checkFields)).toEqual([]);
  });

  it("skips kinds the Kubernetes API does not define", () => {
    expect(check("custom-resource.yaml")).toEqual([]);
    expect(fixture("custom-resource.yaml").map((o) => fieldCheckApplies(o.object))).toEqual([false, false]);
    expect(fixture("container-host-ipc.yaml").map((o) => fieldCheckApplies(o.object))).toEqual([true]);
  });

  it("passes over values of the wrong shape and still finds the typo beside them", () => {
    expect(check("wrong-shapes.yaml").map((f) => [f.path, f.message, f.location.line])).toEqual([
      ["spec.nodeSelecter", "spec.nodeSelecter is not a field of PodSpec; as written it is ignored", 13],
    ]);
  });

  it("reports nothing below a field Terraform knows only at apply time", () => {
    const object = inline("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      hostIPC: true\n  hostIPCC: true\n");
    object.unknowns.push(["spec", "containers"]);
    expect(checkFields(object).map((f) => f.path)).toEqual(["spec.hostIPCC"]);
  });

  it("carries the Terraform address of the object", () => {
    const object = { ...inline("apiVersion: v1\nkind: Pod\nspec:\n  hostIPCC: true\n"), terraformAddress: "kubernetes_pod_v1.web" };
    expect(checkFields(object)[0]!.terraformAddress).toBe("kubernetes_pod_v1.web");
  });

  // Why a scan skips the objects mapped from a Terraform resource type's schema: the mapping writes API fields only.
  it("finds nothing in the objects the Terraform mapping makes of every rule's Terraform fixtures", async () => {
    const rules = await loadRules(loadConfig("policypack.config.yaml"));
    const fixtures = rules.flatMap(({ file }) => loadFixtures(fixtureDir(file))).filter((f) => f.terraform !== undefined);
    const objects = fixtures.flatMap((f) => terraformScanObjects(f.terraform!, f.file, "tf").objects);
    expect(objects.filter((o) => o.fieldsFromMapping && fieldCheckApplies(o.object)).length).toBeGreaterThanOrEqual(70);
    expect(objects.flatMap(checkFields).map((f) => `${f.location.file}:${f.location.line}: ${f.message}`)).toEqual([]);
  });

  it("knows every kind a scan is expected to meet", () => {
    const kinds = [
      ["v1", "Pod"], ["apps/v1", "Deployment"], ["apps/v1", "StatefulSet"], ["apps/v1", "DaemonSet"], ["apps/v1", "ReplicaSet"],
      ["v1", "ReplicationController"], ["batch/v1", "Job"], ["batch/v1", "CronJob"], ["v1", "Service"],
      ["networking.k8s.io/v1", "Ingress"], ["rbac.authorization.k8s.io/v1", "Role"], ["rbac.authorization.k8s.io/v1", "ClusterRole"],
      ["rbac.authorization.k8s.io/v1", "RoleBinding"], ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"], ["v1", "ServiceAccount"],
      ["v1", "ConfigMap"], ["v1", "Secret"], ["v1", "Namespace"], ["autoscaling/v2", "HorizontalPodAutoscaler"],
      ["policy/v1", "PodDisruptionBudget"], ["networking.k8s.io/v1", "NetworkPolicy"], ["policy/v1beta1", "PodSecurityPolicy"],
    ];
    expect(kinds.filter(([apiVersion, kind]) => kindType(apiVersion, kind) === undefined)).toEqual([]);
  });
});
