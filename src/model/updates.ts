// Which admission requests a rule checks, as Pod Security Admission decides it: every CREATE,
// never a DELETE, and every UPDATE except a Pod update that changes nothing PSA looks at.
//
// PSA (k8s.io/pod-security-admission, admission.go, isSignificantPodUpdate) re-evaluates a pod
// update only when an image, the container counts, an ephemeral container, or a seccomp
// annotation changes: the API server lets nothing else in a pod spec change but
// activeDeadlineSeconds, tolerations, terminationGracePeriodSeconds and schedulingGates, and
// refuses any change of the AppArmor annotations. Read offline (fixtures, scans), where no API
// server stands in front, the same rule is stated the other way round: an update is exempt when
// the spec outside those four fields and the seccomp and AppArmor annotations are unchanged; any
// other difference is checked. On a live cluster both readings exempt the same updates.
//
// It applies to every rule matching Pods through `workloads` (the Pod Security Standards and the
// best-practice pod rules alike): a pod's spec cannot be fixed by an update, so checking a label
// or finalizer change again only blocks it (a finalizer that cannot be removed blocks deletion).
// Workload controllers (Deployment, ...) keep being checked on every UPDATE: their template can
// change. Each engine states this condition in its own language, from the constants here.

import type { Json } from "./expr.ts";
import type { Rule } from "./rule.ts";

export type Operation = "CREATE" | "UPDATE" | "DELETE";
export const OPERATIONS: readonly Operation[] = ["CREATE", "UPDATE", "DELETE"];

/**
 * The subresources of a Pod whose requests carry the whole Pod and are checked like an update of
 * it: `ephemeralcontainers`, which `kubectl debug` updates to add an ephemeral container (Pod
 * Security Admission evaluates those updates in full). The API server sends the Pod as object and
 * oldObject; a policy sees it only where its match names `pods/ephemeralcontainers` (VAP and the
 * Kyverno ValidatingPolicy's resourceRules) or lets Pods match it (Gatekeeper's webhook and
 * Kyverno's ClusterPolicy `Pod` kind do by default).
 */
export type PodSubresource = "ephemeralcontainers";
export const POD_SUBRESOURCES: readonly PodSubresource[] = ["ephemeralcontainers"];

/** The pod spec fields an UPDATE may change without the pod being checked again. */
export const UPDATE_EXEMPT_SPEC_FIELDS: readonly string[] = ["activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "schedulingGates"];

/** The annotation a pod's own seccomp profile is set with (deprecated since 1.19, still read by PSA). */
export const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
/** Prefixes of the per-container seccomp and AppArmor annotation keys (the container's name follows). */
export const SECURITY_ANNOTATION_PREFIXES: readonly string[] = ["container.seccomp.security.alpha.kubernetes.io/", "container.apparmor.security.beta.kubernetes.io/"];

/** Whether an annotation is one whose change makes a pod update checked. */
export function isSecurityAnnotation(key: string): boolean {
  return key === SECCOMP_POD_ANNOTATION || SECURITY_ANNOTATION_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Whether the rule exempts Pod updates PSA would not evaluate: every rule matching Pods as a workload. */
export function exemptsPodUpdates(rule: Pick<Rule, "match">): boolean {
  return rule.match.type === "workloads" && rule.match.workloads.some((w) => w.kind === "Pod" && w.group === "");
}

type JsonObject = { [key: string]: Json };
const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** The request as far as the choice needs it. */
export interface ReviewedRequest {
  operation: Operation;
  object: JsonObject;
  /** The object before an UPDATE; left out, the object itself (an update changing nothing). */
  oldObject?: JsonObject;
  /** An UPDATE of a Pod's subresource (POD_SUBRESOURCES) rather than of the Pod. */
  subResource?: PodSubresource;
}

/** The spec fields and annotations an update of the pod must leave alone to be exempt; undefined when their shape is not a pod's. */
function significantParts(pod: JsonObject): { spec: JsonObject; annotations: JsonObject } | undefined {
  const { spec, metadata } = pod;
  const annotations = isObject(metadata) ? metadata.annotations : undefined;
  const absentOrObject = (value: Json | undefined) => value === undefined || isObject(value);
  if (!isObject(spec) || !absentOrObject(metadata) || !absentOrObject(annotations)) return undefined;
  return {
    spec: Object.fromEntries(Object.entries(spec).filter(([key]) => !UPDATE_EXEMPT_SPEC_FIELDS.includes(key))),
    annotations: Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => isSecurityAnnotation(key))),
  };
}

/** JSON equality, maps compared whatever the order of their keys, as Rego and CEL compare them. */
function sameJson(a: Json, b: Json): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]!));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key]!, b[key]!));
  }
  return a === b;
}

/** Whether an UPDATE of a Pod leaves everything PSA evaluates as it was. */
export function isExemptPodUpdate(request: ReviewedRequest): boolean {
  const { operation, object, oldObject = object } = request;
  if (operation !== "UPDATE" || object.kind !== "Pod" || object.apiVersion !== "v1") return false;
  const now = significantParts(object);
  const before = significantParts(oldObject);
  return now !== undefined && before !== undefined && sameJson(now.spec, before.spec) && sameJson(now.annotations, before.annotations);
}

/** Whether the rule checks the request at all. */
export function reviews(rule: Pick<Rule, "match">, request: ReviewedRequest): boolean {
  if (request.operation === "DELETE") return false;
  return !(exemptsPodUpdates(rule) && isExemptPodUpdate(request));
}
