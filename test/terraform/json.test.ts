// Terraform's JSON inputs: configuration in JSON syntax, and plans and states from `terraform show -json`.

import { describe, expect, it } from "vitest";
import { terraformInputKind, terraformScanObjects } from "../../src/terraform/index.ts";

describe(".tf.json", () => {
  const text = `{
  "resource": {
    "kubernetes_pod_v1": {
      "web": {
        "metadata": { "name": "web" },
        "spec": [{
          "host_pid": true,
          "container": [
            { "name": "app", "image": "app:\${var.tag}", "args": ["$\${HOME}"] },
            { "name": "proxy", "image": "proxy:2" }
          ]
        }]
      }
    }
  }
}
`;
  const scan = terraformScanObjects(text, "main.tf.json", "tf.json");

  it("maps blocks written as objects or lists of objects, and treats templates as unknown", () => {
    expect(scan.errors).toEqual([]);
    const [object] = scan.objects;
    expect(object!.object).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web" },
      spec: { hostPID: true, automountServiceAccountToken: true, containers: [{ name: "app", args: ["${HOME}"] }, { name: "proxy", image: "proxy:2" }] },
    });
    expect(object!.unknowns).toEqual([["spec", "containers", 0, "image"]]);
    expect(object!.terraformAddress).toBe("kubernetes_pod_v1.web");
  });

  it("locates fields at their keys", () => {
    expect(scan.objects[0]!.locate(["spec", "hostPID"])).toEqual({ line: 7, column: 11 });
    expect(scan.objects[0]!.locate(["spec", "containers", 1, "securityContext"])).toEqual({ line: 10, column: 13 });
  });

  it("names file:line:col of a JSON syntax error", () => {
    const bad = terraformScanObjects('{\n  "resource": {\n    "x": [1, 2\n  }\n}\n', "bad.tf.json", "tf.json");
    expect(bad.errors.map((e) => e.message)).toEqual(["bad.tf.json:4:3: not valid JSON: BAD_INDENT"]);
    const trailing = terraformScanObjects('{"resource": [1,]}', "trailing.tf.json", "tf.json");
    expect(trailing.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^trailing\.tf\.json:1:1: not valid JSON: Unexpected token/)]);
  });
});

const PLAN = `{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "kubernetes_deployment_v1.web",
          "mode": "managed",
          "type": "kubernetes_deployment_v1",
          "name": "web",
          "values": {
            "metadata": [{ "name": "web", "namespace": "default", "labels": null, "uid": "", "generation": 0 }],
            "spec": [{
              "replicas": "2",
              "template": [{
                "metadata": [{ "labels": { "app": "web" } }],
                "spec": [{
                  "host_network": false,
                  "node_name": "",
                  "volume": [],
                  "container": [{
                    "name": "web",
                    "security_context": [{ "privileged": true, "capabilities": [] }]
                  }]
                }]
              }]
            }],
            "timeouts": null
          }
        }
      ],
      "child_modules": [
        {
          "address": "module.jobs",
          "resources": [
            {
              "address": "module.jobs.kubernetes_job_v1.migrate[0]",
              "mode": "managed",
              "type": "kubernetes_job_v1",
              "name": "migrate",
              "index": 0,
              "values": { "metadata": [{ "name": "migrate" }], "spec": [] }
            },
            {
              "address": "module.jobs.data.kubernetes_namespace_v1.ns",
              "mode": "data",
              "type": "kubernetes_namespace_v1",
              "name": "ns",
              "values": {}
            }
          ]
        }
      ]
    }
  },
  "resource_changes": [
    {
      "address": "kubernetes_deployment_v1.web",
      "change": {
        "after_unknown": {
          "metadata": [{ "uid": true }],
          "spec": [{ "template": [{ "spec": [{ "container": [{ "image": true }] }] }] }]
        }
      }
    }
  ]
}
`;

describe("terraform show -json", () => {
  it("recognises plans and states by their content", () => {
    expect(terraformInputKind("plan.json", PLAN)).toBe("show-json");
    expect(terraformInputKind("pod.json", '{"apiVersion": "v1", "kind": "Pod"}')).toBeUndefined();
    expect(terraformInputKind("main.tf", "")).toBe("tf");
    expect(terraformInputKind("main.tf.json", "{}")).toBe("tf.json");
  });

  it("maps a plan's planned values, child modules included, with after_unknown values unknown", () => {
    const scan = terraformScanObjects(PLAN, "plan.json", "show-json");
    expect(scan.errors).toEqual([]);
    expect(scan.objects.map((o) => o.terraformAddress)).toEqual(["kubernetes_deployment_v1.web", "module.jobs.kubernetes_job_v1.migrate[0]"]);
    const [web, migrate] = scan.objects;
    expect(web!.object).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels: { app: "web" } },
          // The provider's defaults, for what a plan written by hand left out.
          spec: { hostNetwork: false, automountServiceAccountToken: true, containers: [{ name: "web", securityContext: { privileged: true, allowPrivilegeEscalation: true } }] },
        },
      },
    });
    expect(web!.unknowns).toEqual([["spec", "template", "spec", "containers", 0, "image"]]);
    expect(web!.locate(["spec", "template", "spec", "containers", 0, "securityContext", "privileged"])).toEqual({ line: 23, column: 44 });
    expect(migrate!.object).toEqual({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate" } });
  });

  it("maps a state's values", () => {
    const state = JSON.stringify({
      format_version: "1.0",
      values: { root_module: { resources: [{ address: "kubernetes_pod_v1.p", mode: "managed", type: "kubernetes_pod_v1", name: "p", values: { metadata: [{ name: "p" }], spec: [{ host_ipc: true }] } }] } },
    });
    const scan = terraformScanObjects(state, "state.json", "show-json");
    expect(scan.objects.map((o) => o.object)).toEqual([{ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { hostIPC: true, automountServiceAccountToken: true } }]);
  });

  it("refuses an unknown format version with one clear error", () => {
    const scan = terraformScanObjects('{\n  "format_version": "2.0",\n  "planned_values": {}\n}\n', "plan.json", "show-json");
    expect(scan.objects).toEqual([]);
    expect(scan.errors.map((e) => e.message)).toEqual(['plan.json:2:21: format_version "2.0": only the 1.x format of `terraform show -json` is read']);
  });
});
