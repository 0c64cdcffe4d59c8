// policy/v1beta1 PodSecurityPolicy, removed from Kubernetes in 1.25 and so absent from
// kubernetes-types; written from the v1.24 API reference. Still scanned because manifests and
// clusters carrying PSPs remain, and KICS/Datadog flag them.

import type { ObjectMeta } from "kubernetes-types/meta/v1.js";

export interface HostPortRange {
  min: number;
  max: number;
}

export interface AllowedHostPath {
  pathPrefix?: string;
  readOnly?: boolean;
}

export interface IdRange {
  min: number;
  max: number;
}

export interface RunAsUserStrategyOptions {
  rule: "MustRunAs" | "MustRunAsNonRoot" | "RunAsAny";
  ranges?: IdRange[];
}

export interface PodSecurityPolicySpec {
  privileged?: boolean;
  defaultAddCapabilities?: string[];
  requiredDropCapabilities?: string[];
  allowedCapabilities?: string[];
  volumes?: string[];
  hostNetwork?: boolean;
  hostPorts?: HostPortRange[];
  hostPID?: boolean;
  hostIPC?: boolean;
  seLinux?: { rule: string };
  runAsUser?: RunAsUserStrategyOptions;
  runAsGroup?: RunAsUserStrategyOptions;
  supplementalGroups?: { rule?: string; ranges?: IdRange[] };
  fsGroup?: { rule?: string; ranges?: IdRange[] };
  readOnlyRootFilesystem?: boolean;
  defaultAllowPrivilegeEscalation?: boolean;
  allowPrivilegeEscalation?: boolean;
  allowedHostPaths?: AllowedHostPath[];
  allowedProcMountTypes?: string[];
  allowedUnsafeSysctls?: string[];
  forbiddenSysctls?: string[];
}

export interface PodSecurityPolicy {
  apiVersion: "policy/v1beta1";
  kind: "PodSecurityPolicy";
  metadata: ObjectMeta;
  spec: PodSecurityPolicySpec;
}

export const POD_SECURITY_POLICY = { group: "policy", version: "v1beta1", kind: "PodSecurityPolicy" };
