// Small rules exercising every Condition, Value and Collection of the model, for the Rego
// lowering's golden and parse tests. Their metadata is filler; only the checks matter.

import type { Rule } from "../../../src/model/index.ts";
import {
  absent,
  all,
  and,
  any,
  atLeast,
  atMost,
  coalesce,
  containers,
  defineRule,
  differenceBelow,
  endsWith,
  entries,
  equals,
  fields,
  filtered,
  forEach,
  greaterThan,
  isIn,
  isInIgnoringCase,
  items,
  kinds,
  lessThan,
  matches,
  matchesPattern,
  matchesPatternIgnoringCase,
  msg,
  not,
  notEquals,
  notIn,
  or,
  paramItems,
  present,
  startsWith,
  when,
  workloads,
} from "../../../src/model/index.ts";

const meta = {
  title: "Construct test",
  description: "Exercises the lowering.",
  severity: "low" as const,
  category: "Test",
  profiles: ["test"],
  references: {},
  remediation: "None.",
};

interface ConfigMapLike {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; labels?: { [key: string]: string } };
  data?: { [key: string]: string };
  binaryData?: { [key: string]: string };
  immutable?: boolean;
  weight?: number;
  tags?: string[];
}

const CONFIG_MAP = { group: "", version: "v1", kind: "ConfigMap" };
const ROLE = { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role" };

export const CONSTRUCT_RULES: Record<string, Rule> = {
  // present, absent, equals, notEquals, compare, compareDifference, startsWith/endsWith, matches
  // on a kinds rule; a coalesce ending in a constant.
  "value-tests": defineRule({
    ...meta,
    id: "value-tests",
    match: kinds<ConfigMapLike>(CONFIG_MAP, ROLE),
    params: {
      prefix: { type: "string", description: "A prefix.", default: "team-" },
      limit: { type: "integer", description: "A limit.", default: 10 },
      strict: { type: "boolean", description: "Strict mode.", default: false },
    },
    checks: ({ object, params }) => [
      when(and(present(object.data), absent(object.binaryData)), msg`${object.metadata.name} has data only`),
      when(and(equals(object.immutable, params.strict), notEquals(object.kind, "Role")), msg`immutable is ${object.immutable}`),
      when(
        or(greaterThan(object.weight, params.limit), lessThan(object.weight, 0), atLeast(object.weight, 99.5), atMost(object.weight, -3)),
        msg`weight ${object.weight} is out of range 0..${params.limit}`,
      ),
      when(
        and(startsWith(object.metadata.name, params.prefix), endsWith(object.metadata.name, "-tmp")),
        msg`name ${object.metadata.name} starts with ${params.prefix}`,
      ),
      when(matches(object.metadata.name, "^[a-z]+\\.io$"), msg`name ${object.metadata.name} looks like a domain`),
      when(differenceBelow(params.limit, coalesce(object.weight, 0), 2), msg`weight ${coalesce(object.weight, 0)} is within 2 of ${params.limit}`),
    ],
  }),

  // in/notIn against a literal list, a parameter and an array field; matchesPattern.
  "list-tests": defineRule({
    ...meta,
    id: "list-tests",
    match: workloads,
    params: {
      allowed: { type: "string[]", description: "Allowed values.", default: ["a", "b"] },
      ports: { type: "integer[]", description: "Ports.", default: [80, 443] },
    },
    checks: ({ pod, params }) => [
      forEach(containers(pod), (container) =>
        when(
          and(
            isIn(container.imagePullPolicy, ["Always", "IfNotPresent"]),
            notIn(container.name, params.allowed),
            notIn(container.workingDir, container.args),
            isIn(container.name, container.command),
          ),
          msg`Container ${container.name} pulls with ${container.imagePullPolicy}`,
        ),
      ),
      forEach(containers(pod), (container) =>
        when(not(matchesPattern(container.image, params.allowed)), msg`Container ${container.name} uses image ${container.image}`),
      ),
      forEach(items(pod.spec.containers, "container"), (container) =>
        when(
          any(items(container.ports, "port"), (port) => notIn(port.containerPort, params.ports)),
          msg`Container ${container.name} exposes a port outside ${params.ports}`,
        ),
      ),
    ],
  }),

  // ASCII case-insensitive tests and iterations over a list parameter.
  "ignoring-case": defineRule({
    ...meta,
    id: "ignoring-case",
    match: workloads,
    params: {
      allowed: { type: "string[]", description: "Allowed values.", default: ["NET_*", "chown"] },
      required: { type: "string[]", description: "Required values.", default: ["ALL"] },
    },
    checks: ({ pod, params }) => [
      forEach(containers(pod), (container) =>
        when(
          any(items(container.securityContext.capabilities.add, "capability"), (capability) => not(matchesPatternIgnoringCase(capability, params.allowed))),
          msg`Container ${container.name} adds ${filtered(items(container.securityContext.capabilities.add, "capability"), (capability) => not(matchesPatternIgnoringCase(capability, params.allowed)))}`,
        ),
      ),
      forEach(containers(pod), (container) =>
        when(
          not(all(paramItems(params.required, "required"), (required) => isInIgnoringCase(required, container.securityContext.capabilities.drop))),
          msg`Container ${container.name} does not drop ${filtered(paramItems(params.required, "required"), (required) => not(isInIgnoringCase(required, container.securityContext.capabilities.drop)))}`,
        ),
      ),
    ],
  }),

  // and, or, not in every shape: negated single tests, double negation, negated conjunctions.
  logic: defineRule({
    ...meta,
    id: "logic",
    match: workloads,
    checks: ({ pod }) => [
      when(
        and(
          not(equals(pod.spec.hostPID, true)),
          not(not(present(pod.spec.hostname))),
          not(and(present(pod.spec.subdomain), equals(pod.spec.hostNetwork, false))),
          or(equals(pod.spec.dnsPolicy, "None"), and(absent(pod.spec.dnsConfig), not(or(equals(pod.spec.restartPolicy, "Never"))))),
        ),
        msg`pod ${pod.metadata.name} mixes its settings`,
      ),
      when(not(or()), msg`never`),
    ],
  }),

  // any, all over containers, items and entries (fields), nested in each other and negated.
  iterations: defineRule({
    ...meta,
    id: "iterations",
    match: workloads,
    checks: ({ pod }) => [
      when(
        any(containers(pod), (container) =>
          all(items(container.volumeMounts, "mount"), (mount) => and(equals(mount.readOnly, true), present(container.name))),
        ),
        msg`some container mounts only read-only volumes`,
      ),
      when(
        not(any(entries(pod.metadata.labels, "label"), (label) => and(equals(label.key, "app"), present(label.value)))),
        msg`no app label`,
      ),
      when(
        all(items(pod.spec.volumes, "volume"), (volume) =>
          any(fields(volume, "source"), (source) => and(notEquals(source.key, "name"), isIn(source.key, ["emptyDir", "configMap"])))),
        msg`only ephemeral volumes`,
      ),
      forEach(entries(pod.metadata.annotations, "annotation"), (annotation) =>
        when(
          or(startsWith(annotation.key, "x/"), any(containers(pod), (container) => equals(container.name, annotation.value))),
          msg`annotation ${annotation.key}=${annotation.value}`,
        ),
      ),
    ],
  }),

  // coalesce and filter, in conditions and messages.
  "values": defineRule({
    ...meta,
    id: "values",
    match: workloads,
    checks: ({ pod, object }) => [
      forEach(containers(pod), (container) =>
        when(
          equals(coalesce(container.securityContext.runAsNonRoot, pod.spec.securityContext.runAsNonRoot), false),
          msg`Container ${container.name} runs as root (runAsUser ${coalesce(container.securityContext.runAsUser, pod.spec.securityContext.runAsUser)})`,
        ),
      ),
      // Filtered lists of objects only in conditions: messages render filtered scalars (see lower.ts).
      when(
        and(
          present(filtered(containers(pod), (container) => absent(container.resources.limits))),
          present(filtered(entries(pod.metadata.labels, "label"), (label) => startsWith(label.key, "vol/"))),
        ),
        msg`${object.kind} ${object.metadata.name}: groups over 1000: ${filtered(items(pod.spec.securityContext.supplementalGroups, "group"), (group) =>
          greaterThan(group, 1000),
        )}; finalizers: ${filtered(items(pod.metadata.finalizers, "finalizer"), (finalizer) => startsWith(finalizer, "vol/"))}`,
      ),
      when(
        {
          op: "notEquals",
          left: filtered(entries(pod.metadata.labels, "label"), (label) => startsWith(label.key, "vol/")),
          right: { op: "literal", value: [] },
        },
        msg`${object.metadata.name} has volume labels`,
      ),
    ],
  }),

  // Messages with text that needs escaping in Rego strings and in sprintf formats.
  "text-escapes": defineRule({
    ...meta,
    id: "text-escapes",
    match: workloads,
    checks: ({ pod }) => [
      when(
        equals(pod.spec.schedulerName, 'say "hi"\\ 100% {{ x }}\nnext\ttab ü 日本 😀'),
        msg`Quote " backslash \\ percent 100% braces {{ name }} line
break tab	ü 日本 😀 ${pod.spec.schedulerName} %s %%`,
      ),
      when(equals(pod.spec.hostIPC, true), msg`plain 50% "literal" {{ }} \\ only`),
    ],
  }),
};
