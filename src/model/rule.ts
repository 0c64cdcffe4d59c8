// A rule as authors write it (RuleSpec: metadata, match, parameters and a function building the
// checks from typed views) and as every later stage reads it (Rule: the same metadata with the
// checks as plain data).

import type { Check, Json } from "./expr.ts";
import { type KubeObject, type Param, type PodView, objectView, podView } from "./dsl.ts";
import type { Path } from "./path.ts";

export type Severity = "low" | "medium" | "high" | "critical";
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

/** The built-in profiles; custom rules may name their own. */
export type BuiltinProfile = "pss-baseline" | "pss-restricted" | "best-practice" | "rbac" | "psp";
export type Profile = BuiltinProfile | (string & {});

/** One source's reference: a name, or several when that source splits the check among several (e.g. two Kyverno policies). */
export type Reference = string | readonly string[];

/** Where the same check lives in the tools people migrate from. */
export interface References {
  /** The Pod Security Standards control, as the Kubernetes documentation names it. */
  pss?: Reference;
  /** Polaris check id, e.g. `hostIPCSet`. */
  polaris?: Reference;
  /** gatekeeper-library template, e.g. `pod-security-policy/host-namespaces`. */
  gatekeeper?: Reference;
  /** kyverno/policies policy name, e.g. `disallow-host-namespaces`. */
  kyverno?: Reference;
  /** KICS query id (a UUID). */
  kics?: Reference;
  /** Datadog IaC rule id. */
  datadog?: Reference;
  urls?: string[];
}

/**
 * `object[]`: a list of objects, e.g. gatekeeper-library's allowedSELinuxOptions (any fields,
 * holding strings) or hpa-min-replicas' ranges (the fields its spec declares).
 */
export type ParamType = "string" | "integer" | "boolean" | "string[]" | "integer[]" | "object[]";
type ParamTsType<P extends ParamType> = P extends "string"
  ? string
  : P extends "integer"
    ? number
    : P extends "boolean"
      ? boolean
      : P extends "string[]"
        ? string[]
        : P extends "integer[]"
          ? number[]
          : Array<Record<string, string | number>>;

/** The type of an object[] parameter's declared field. */
export type ParamFieldType = "string" | "integer";
type ParamFieldsTsType<F extends Record<string, ParamFieldType>> = { [K in keyof F]: F[K] extends "integer" ? number : string };
/** What a parameter reference yields: an object[] parameter's objects as its `fields` declare them. */
type ParamRefType<S extends ParamSpec> = S extends { type: "object[]"; fields: infer F extends Record<string, ParamFieldType> }
  ? Array<ParamFieldsTsType<F>>
  : S extends { type: "object[]" }
    ? Array<Record<string, string>>
    : ParamTsType<S["type"]>;

/**
 * A version of the Pod Security Standards: `latest`, or the Kubernetes minor whose standard
 * applies, e.g. `v1.30` (the config's podSecurityVersion, as Pod Security Admission's
 * `enforce-version` label names it).
 */
export type PodSecurityVersion = "latest" | `v1.${number}`;
export const POD_SECURITY_VERSION_PATTERN = /^(latest|v1\.(0|[1-9][0-9]*))$/;

/** The minor of a version, comparable: `latest` is above every minor. */
function versionMinor(version: PodSecurityVersion): number {
  return version === "latest" ? Infinity : Number(version.slice("v1.".length));
}

export interface ParamSpec<P extends ParamType = ParamType> {
  type: P;
  description: string;
  /** The default under the latest Pod Security Standards. */
  default: ParamTsType<P>;
  /** For a string: what it must hold besides being one (`quantity`: a Kubernetes quantity such as 500m). */
  format?: "quantity";
  /**
   * Where the standard changed the default: the default of every version before `before`, for
   * podSecurityVersion; the earliest `before` above the version wins.
   */
  earlierDefaults?: Array<{ before: `v1.${number}`; default: ParamTsType<P> }>;
  /** For a string parameter: the only values it may take. */
  oneOf?: string[];
  /**
   * For an object[] parameter: every object's fields and their types, each required and no
   * others (without it, objects of any fields holding strings).
   */
  fields?: Record<string, ParamFieldType>;
}
export type ParamSpecs = Record<string, ParamSpec>;
type ParamRefs<P extends ParamSpecs> = { readonly [K in keyof P]: Param<ParamRefType<P[K]>> };

/** A parameter's type as the docs and `explain` show it: an object[]'s declared fields included. */
export function paramTypeText(spec: ParamSpec): string {
  if (!spec.fields) return spec.type;
  return `${spec.type} of {${Object.entries(spec.fields).map(([name, type]) => `${name}: ${type}`).join(", ")}}`;
}

export interface GroupVersionKind {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
}

/** The apiVersion objects of the kind carry: `v1` for the core group, else `group/version`. */
export function apiVersionOf(gvk: Pick<GroupVersionKind, "group" | "version">): string {
  return gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`;
}

/** A Pod or a workload that carries a pod template, with where its pod spec and metadata live. */
export interface WorkloadKind extends GroupVersionKind {
  podPath: string[];
}

export const WORKLOAD_KINDS = [
  { group: "", version: "v1", kind: "Pod", podPath: [] as string[] },
  { group: "apps", version: "v1", kind: "Deployment", podPath: ["spec", "template"] },
  { group: "apps", version: "v1", kind: "StatefulSet", podPath: ["spec", "template"] },
  { group: "apps", version: "v1", kind: "DaemonSet", podPath: ["spec", "template"] },
  { group: "apps", version: "v1", kind: "ReplicaSet", podPath: ["spec", "template"] },
  { group: "", version: "v1", kind: "ReplicationController", podPath: ["spec", "template"] },
  { group: "batch", version: "v1", kind: "Job", podPath: ["spec", "template"] },
  { group: "batch", version: "v1", kind: "CronJob", podPath: ["spec", "jobTemplate", "spec", "template"] },
] as const satisfies readonly WorkloadKind[];

export type WorkloadKindName = (typeof WORKLOAD_KINDS)[number]["kind"];

/** `workloads`: the pod-bearing kinds the rule applies to (all of WORKLOAD_KINDS unless narrowed). */
export type Match = { type: "workloads"; workloads: WorkloadKind[] } | { type: "kinds"; kinds: GroupVersionKind[] };

/** Match objects of the given kinds; T types the object the checks see. */
export interface KindMatch<T> {
  type: "kinds";
  kinds: GroupVersionKind[];
  readonly __object?: T;
}
export function kinds<T>(...gvks: GroupVersionKind[]): KindMatch<T> {
  return { type: "kinds", kinds: gvks };
}
export interface WorkloadMatch {
  type: "workloads";
  kinds?: WorkloadKindName[];
}
/** Match Pods and every pod-bearing workload (WORKLOAD_KINDS); checks see the pod through `pod`. */
export const workloads: WorkloadMatch = { type: "workloads" };
/** Match only some pod-bearing kinds, e.g. long-running ones for probe rules. */
export function workloadsOf(...kinds: WorkloadKindName[]): WorkloadMatch {
  return { type: "workloads", kinds };
}

interface RuleMeta<P extends ParamSpecs> {
  /** kebab-case, unique in the pack. */
  id: string;
  title: string;
  description: string;
  severity: Severity;
  /** Free text people filter by: "Security", "Reliability", "Efficiency", "RBAC". */
  category: string;
  profiles: Profile[];
  references: References;
  remediation: string;
  params?: P;
}

export interface WorkloadRuleSpec<P extends ParamSpecs> extends RuleMeta<P> {
  match: WorkloadMatch;
  checks: (view: { pod: PodView; object: Path<KubeObject>; params: ParamRefs<P> }) => Check[];
}

export interface KindRuleSpec<T, P extends ParamSpecs> extends RuleMeta<P> {
  match: KindMatch<T>;
  checks: (view: { object: Path<T>; params: ParamRefs<P> }) => Check[];
}

/** The rule as every stage after authoring sees it. */
export interface Rule extends Omit<RuleMeta<ParamSpecs>, "params"> {
  match: Match;
  params: ParamSpecs;
  checks: Check[];
}

function paramRefs<P extends ParamSpecs>(params: P | undefined): ParamRefs<P> {
  // Any name yields a reference, so a misspelt parameter in plain JavaScript reaches
  // validateRule, which names it, instead of failing obscurely here.
  return new Proxy({} as ParamRefs<P>, {
    get: (_target, name) => (typeof name === "string" ? { op: "param", name } : undefined),
  });
}

export function defineRule<P extends ParamSpecs = {}>(spec: WorkloadRuleSpec<P>): Rule;
export function defineRule<T, P extends ParamSpecs = {}>(spec: KindRuleSpec<T, P>): Rule;
export function defineRule(spec: WorkloadRuleSpec<ParamSpecs> | KindRuleSpec<unknown, ParamSpecs>): Rule {
  const params = paramRefs(spec.params);
  const checks =
    spec.match.type === "workloads"
      ? (spec as WorkloadRuleSpec<ParamSpecs>).checks({ pod: podView(), object: objectView<KubeObject>(), params })
      : (spec as KindRuleSpec<unknown, ParamSpecs>).checks({ object: objectView<unknown>(), params });
  const { params: _declared, checks: _build, match, ...meta } = spec;
  return {
    ...meta,
    match:
      match.type === "workloads"
        ? { type: "workloads", workloads: WORKLOAD_KINDS.filter((w) => !match.kinds || match.kinds.includes(w.kind)) }
        : { type: "kinds", kinds: match.kinds },
    params: spec.params ?? {},
    checks,
  };
}

/** Parameter values after the configuration is applied, by name. */
export type ParamValues = Record<string, Json>;

/** A parameter's default under the Pod Security Standards of `version`. */
export function versionDefault(spec: ParamSpec, version: PodSecurityVersion): Json {
  const minor = versionMinor(version);
  const earlier = (spec.earlierDefaults ?? []).filter((d) => minor < versionMinor(d.before));
  earlier.sort((a, b) => versionMinor(a.before) - versionMinor(b.before));
  return (earlier[0]?.default ?? spec.default) as Json;
}

/** The rule's parameter defaults under the Pod Security Standards of `version` (default: latest). */
export function defaultParams(rule: Rule, version: PodSecurityVersion = "latest"): ParamValues {
  return Object.fromEntries(Object.entries(rule.params).map(([name, spec]) => [name, versionDefault(spec, version)]));
}
