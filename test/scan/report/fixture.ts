// The small fixed ScanReport every reporter test renders: two manifest files with objects (one
// from Terraform), a third file that is not valid YAML, three findings (one from the field check),
// one object that no enabled rule matches, and two checks that pass.

import type { RuleDescriptor, ScanReport } from "../../../src/scan/report/types.ts";

const RULES: RuleDescriptor[] = [
  {
    id: "privileged-containers",
    title: "Containers must not run privileged",
    description: "Privileged containers can do almost anything the host can.",
    help: "Remove securityContext.privileged or set it to false.",
    severity: "critical",
    category: "Security",
    tags: ["security", "pss-baseline"],
    helpUri: "https://example.test/policypack/docs/rules/privileged-containers.md",
  },
  {
    id: "run-as-non-root",
    title: "Containers must be required to run as non-root",
    description: "A container running as root can take over its node more easily.",
    help: "Set securityContext.runAsNonRoot to true.",
    severity: "medium",
    category: "Security",
    tags: ["security", "pss-restricted"],
    helpUri: "https://example.test/policypack/docs/rules/run-as-non-root.md",
  },
  {
    id: "wildcard-verbs",
    title: 'Roles should not grant every verb with "*"',
    description: "A wildcard verb grants verbs added in later Kubernetes versions too.",
    help: "List the verbs the role needs.",
    severity: "medium",
    category: "RBAC",
    tags: ["rbac"],
    helpUri: "https://example.test/policypack/docs/rules/wildcard-verbs.md",
  },
  {
    id: "unknown-field",
    title: "Fields must be defined by Kubernetes",
    description: "A field Kubernetes does not define is dropped silently, often a misspelt field.",
    help: "Fix the field's name or remove it.",
    severity: "low",
    category: "Correctness",
    tags: ["correctness"],
  },
];

export function fixtureReport(): ScanReport {
  return {
    toolVersion: "0.1.0",
    rules: structuredClone(RULES),
    files: ["deploy/web.yaml", "infra/main.tf", "deploy/broken.yaml"],
    objects: [
      { resource: { apiVersion: "v1", kind: "Namespace", name: "prod" }, file: "deploy/web.yaml", line: 1, column: 1, ruleIds: [] },
      {
        resource: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "prod" },
        file: "deploy/web.yaml",
        line: 6,
        column: 1,
        ruleIds: ["privileged-containers", "run-as-non-root", "unknown-field"],
      },
      {
        resource: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "admin" },
        file: "infra/main.tf",
        line: 3,
        column: 1,
        terraformAddress: "kubernetes_cluster_role_v1.admin",
        ruleIds: ["wildcard-verbs", "unknown-field"],
      },
    ],
    findings: [
      {
        ruleId: "unknown-field",
        severity: "low",
        message: 'Unknown field "imagePullPolice" in Container (did you mean "imagePullPolicy"?)',
        path: "spec.template.spec.containers[0].imagePullPolice",
        location: { file: "deploy/web.yaml", line: 22, column: 11 },
        resource: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "prod" },
      },
      {
        ruleId: "wildcard-verbs",
        severity: "medium",
        message: 'ClusterRole "admin" grants every verb with "*"',
        path: "rules[0].verbs[0]",
        location: { file: "infra/main.tf", line: 9, column: 17 },
        resource: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "admin" },
        terraformAddress: "kubernetes_cluster_role_v1.admin",
      },
      {
        ruleId: "privileged-containers",
        severity: "critical",
        message: 'Container "app" is privileged',
        path: "spec.template.spec.containers[0].securityContext.privileged",
        location: { file: "deploy/web.yaml", line: 24, column: 23 },
        resource: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "prod" },
      },
    ],
    errors: [{ file: "deploy/broken.yaml", line: 4, column: 3, reason: "bad indentation of a mapping entry" }],
  };
}
