// The CEL lowering against the reference evaluator: small rules covering every Value, Collection
// and Condition, lowered, run with @marcbachmann/cel-js on small objects, and compared check by
// check with evaluateChecks, in both parameter modes (inlined literals; variables.params).

import { describe, expect, test } from "vitest";
import type { Condition, Json } from "../../../src/model/expr.ts";
import { type CelRoots, celLiteral, celString, lowerCel, podRoots, podSelectors, podVariableRoots } from "../../../src/lower/cel/index.ts";
import { applies, evaluateChecks } from "../../../src/lower/reference/evaluate.ts";
import {
  type ParamValues,
  type Rule,
  WORKLOAD_KINDS,
  absent,
  all,
  and,
  any,
  atLeast,
  atMost,
  coalesce,
  containers,
  defaultParams,
  defineRule,
  endsWith,
  entries,
  equals,
  filtered,
  forEach,
  greaterThan,
  isIn,
  items,
  kinds,
  lessThan,
  matches,
  matchesPattern,
  msg,
  not,
  notEquals,
  notIn,
  or,
  present,
  startsWith,
  when,
  workloads,
} from "../../../src/model/index.ts";
import { celEnvironment, runCelProgram, toCel } from "../../../src/engines/cel.ts";

const meta = {
  title: "t",
  description: "d",
  severity: "low" as const,
  category: "Test",
  profiles: [] as string[],
  references: {},
  remediation: "r",
};

const podRule = defineRule({
  ...meta,
  id: "pod-constructs",
  match: workloads,
  params: {
    maxUid: { type: "integer", description: "", default: 1000 },
    allowedCaps: { type: "string[]", description: "", default: ["CHOWN", "KILL"] },
    registry: { type: "string", description: "", default: "registry.example.com/" },
    exemptImages: { type: "string[]", description: "", default: ["busybox", "example.com/tools/*"] },
    dnsPolicies: { type: "string[]", description: "", default: ["ClusterFirst", "Default"] },
    flag: { type: "boolean", description: "", default: true },
    ports: { type: "integer[]", description: "", default: [80, 443] },
  },
  checks: ({ pod, object, params }) => [
    forEach(containers(pod), (c) =>
      when(
        equals(c.securityContext.privileged, true),
        msg`Container ${c.name} privileged=${c.securityContext.privileged} uid=${c.securityContext.runAsUser}`,
      ),
    ),
    forEach(containers(pod), (c) =>
      when(
        greaterThan(coalesce(c.securityContext.runAsUser, pod.spec.securityContext.runAsUser), params.maxUid),
        msg`Container ${c.name} runs as ${coalesce(c.securityContext.runAsUser, pod.spec.securityContext.runAsUser)} over ${params.maxUid}`,
      ),
    ),
    when(all(containers(pod), (c) => present(c.resources.limits)), msg`every container of ${object.metadata.name} has limits`),
    when(not(any(containers(pod), (c) => startsWith(c.image, params.registry))), msg`no image from ${params.registry}`),
    forEach(items(pod.spec.volumes, "volume"), (v) =>
      when(
        and(present(v.hostPath), not(startsWith(v.hostPath.path, "/var/log"))),
        msg`Volume ${v.name} path ${v.hostPath.path} type ${v.hostPath.type}`,
      ),
    ),
    forEach(entries(pod.metadata.labels, "label"), (l) =>
      when(or(endsWith(l.key, "-x"), matches(l.value, "(?i)^bad")), msg`Label ${l.key}=${l.value}`),
    ),
    when(notIn(pod.spec.dnsPolicy, params.dnsPolicies), msg`${object.kind} dns ${pod.spec.dnsPolicy}`),
    when(isIn(pod.spec.priorityClassName, ["critical", "high"]), msg`priority ${pod.spec.priorityClassName}`),
    forEach(containers(pod), (c) => {
      const added = items(c.securityContext.capabilities.add, "cap");
      return when(
        any(added, (cap) => notIn(cap, params.allowedCaps)),
        msg`Container ${c.name} adds ${filtered(added, (cap) => notIn(cap, params.allowedCaps))}`,
      );
    }),
    when(
      or(atMost(pod.spec.terminationGracePeriodSeconds, 0), atLeast(pod.spec.activeDeadlineSeconds, 3600)),
      msg`grace ${pod.spec.terminationGracePeriodSeconds} deadline ${pod.spec.activeDeadlineSeconds}`,
    ),
    forEach(containers(pod), (c) =>
      when(not(matchesPattern(c.image, params.exemptImages)), msg`Container ${c.name} image ${c.image} not exempt`),
    ),
    when(absent(pod.spec.securityContext), msg`no pod securityContext`),
    when(notEquals(pod.spec.restartPolicy, "Always"), msg`restartPolicy ${pod.spec.restartPolicy}`),
    when(present(pod.metadata.annotations["example.com/owner"]), msg`owner ${pod.metadata.annotations["example.com/owner"]}`),
    when(
      equals(object.metadata.namespace, "team-a"),
      msg`max ${params.maxUid} caps ${params.allowedCaps} flag ${params.flag} ports ${params.ports} ns ${object.metadata.namespace}`,
    ),
    forEach(containers(pod), (c) =>
      when(
        any(items(c.ports, "port"), (p) => and(isIn(p.containerPort, params.ports), lessThan(p.hostPort, 1024))),
        msg`Container ${c.name} binds a low host port`,
      ),
    ),
  ],
});

interface Thing {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: { [key: string]: string } };
  spec?: {
    replicas?: number;
    ratio?: number;
    tags?: string[];
    mode?: string;
    data?: { [key: string]: string };
    allowed?: string[];
    weird?: unknown;
  };
}

const thingRule = defineRule<Thing>({
  ...meta,
  id: "thing-constructs",
  match: kinds<Thing>({ group: "example.com", version: "v1", kind: "Thing" }),
  checks: ({ object }) => [
    when(lessThan(object.spec.ratio, 0.5), msg`ratio ${object.spec.ratio} replicas ${object.spec.replicas}`),
    when(greaterThan(object.spec.replicas, 2.5), msg`replicas ${object.spec.replicas}`),
    when(atLeast(object.spec.ratio, object.spec.replicas), msg`ratio ${object.spec.ratio} >= replicas ${object.spec.replicas}`),
    when(equals(object.spec.mode, "strict"), msg`mode ${object.spec.mode}`),
    when(notEquals(object.spec.mode, "strict"), msg`not strict: ${object.spec.mode}`),
    forEach(entries(object.spec.data, "item"), (e) =>
      when(and(startsWith(e.key, "k"), not(equals(e.value, "ok"))), msg`entry ${e.key} is ${e.value}`),
    ),
    when(
      any(items(object.spec.tags, "tag"), (t) => isIn(t, object.spec.allowed)),
      msg`tags ${filtered(items(object.spec.tags, "tag"), (t) => notIn(t, object.spec.allowed))} outside ${object.metadata.name}`,
    ),
    when(all(items(object.spec.tags, "tag"), (t) => matches(t, "^[a-z]+$")), msg`all tags lower case`),
    // A binding named like a CEL type must not shadow the type in `type(x) == string`.
    forEach(items(object.spec.tags, "string"), (s) => when(matches(s, "^D"), msg`tag ${s}`)),
    when(
      any(entries(object.metadata.labels, "label"), (l) => any(items(object.spec.tags, "tag"), (t) => equals(l.value, t))),
      msg`a label value is a tag`,
    ),
  ],
});

/** A rule from hand-written checks, for constructs the DSL's types do not allow. */
function rawRule(id: string, conditions: Condition[]): Rule {
  return {
    ...meta,
    profiles: [],
    id,
    match: { type: "kinds", kinds: [{ group: "example.com", version: "v1", kind: "Thing" }] },
    params: { limit: { type: "integer", description: "", default: 3 } },
    checks: conditions.map((when, i) => ({ when, message: { parts: [`check ${i}`] } })),
  };
}

const path = (...segments: string[]) => ({ op: "path" as const, scope: { kind: "object" as const }, segments });
const literal = (value: Json) => ({ op: "literal" as const, value });
const tagsIteration = { collection: { op: "items" as const, list: path("spec", "tags") }, bind: "tag" };
const dataIteration = { collection: { op: "entries" as const, map: path("spec", "data") }, bind: "in" };

const raw = rawRule("raw-constructs", [
  { op: "and", conditions: [] },
  { op: "or", conditions: [] },
  { op: "equals", left: literal(1), right: literal(1.0) },
  { op: "equals", left: literal("1"), right: literal(1) },
  { op: "equals", left: path("spec", "weird"), right: literal([1, "a"]) },
  { op: "equals", left: path("spec", "weird"), right: { op: "param", name: "limit" } },
  { op: "compare", cmp: "<", left: path("spec", "weird"), right: literal(3) },
  { op: "startsWith", value: path("spec", "weird"), text: literal("x") },
  { op: "in", value: literal("a"), list: path("spec", "weird") },
  { op: "matches", value: path("spec", "weird"), pattern: "^x" },
  { op: "matchesPattern", value: path("spec", "mode"), patterns: path("spec", "weird") },
  { op: "present", value: { op: "coalesce", values: [path("spec", "nothing"), path("spec", "weird")] } },
  {
    op: "equals",
    left: { op: "filter", iteration: tagsIteration, where: { op: "startsWith", value: { op: "path", scope: { kind: "binding", name: "tag" }, segments: [] }, text: literal("a") } },
    right: literal(["a", "ab"]),
  },
  {
    op: "equals",
    left: { op: "filter", iteration: dataIteration, where: { op: "equals", left: { op: "path", scope: { kind: "binding", name: "in", part: "value" }, segments: [] }, right: literal("v") } },
    right: literal([{ key: "k1", value: "v" }]),
  },
  { op: "all", iteration: tagsIteration, where: { op: "notEquals", left: { op: "path", scope: { kind: "binding", name: "tag" }, segments: [] }, right: literal("") } },
  { op: "present", value: path("metadata", "namespace") },
  { op: "compareDifference", cmp: "<", left: path("spec", "weird"), right: { op: "coalesce", values: [path("spec", "nothing"), literal(1)] }, bound: { op: "param", name: "limit" } },
  { op: "compareDifference", cmp: ">=", left: literal(5), right: path("spec", "weird"), bound: literal(2.5) },
]);

/** Where each workload kind keeps its pod, as Kyverno's per-location rules read it. */
function rootsFor(object: Json, objectExpr: string): CelRoots {
  const kind = WORKLOAD_KINDS.find((k) => k.kind === (object as { kind: string }).kind);
  return kind ? podRoots(objectExpr, kind.podPath) : { object: objectExpr };
}

/** Per check: the messages the lowered validation reports. */
function celChecks(rule: Rule, object: Json, params: ParamValues, mode: "inline" | "variables.params"): string[][] {
  // Whether a rule applies is the engine's match, outside the lowering.
  if (!applies(rule, object)) return rule.checks.map(() => []);
  const lowered =
    mode === "inline"
      ? lowerCel(rule, rootsFor(object, "object"), params)
      : lowerCel(rule, rootsFor(object, "variables.anyObject"), "variables.params");
  const cel = toCel(object);
  const preset = mode === "inline" ? {} : { anyObject: cel, params: Object.keys(params).length === 0 ? null : toCel(params) };
  return lowered.validations.map((validation) => runCelProgram({ variables: lowered.variables, validations: [validation] }, { object: cel }, preset));
}

function agree(rule: Rule, object: Json, params: ParamValues = defaultParams(rule)) {
  const expected = evaluateChecks(rule, object, params);
  for (const mode of ["inline", "variables.params"] as const) {
    expect(celChecks(rule, object, params, mode), mode).toEqual(expected);
  }
  return expected;
}

const pod = (spec: Json, metadata: Json = { name: "p", namespace: "default" }): Json => ({ apiVersion: "v1", kind: "Pod", metadata, spec });

describe("lowerCel agrees with the reference evaluator", () => {
  test("a pod violating almost every check", () => {
    const object = pod(
      {
        dnsPolicy: "None",
        priorityClassName: "critical",
        terminationGracePeriodSeconds: 0,
        activeDeadlineSeconds: 7200.5,
        restartPolicy: "Never",
        securityContext: { runAsUser: 5000 },
        volumes: [
          { name: "logs", hostPath: { path: "/var/log/app" } },
          { name: "root", hostPath: { path: "/", type: "Directory" } },
          { name: "tmp", emptyDir: {} },
          { name: "sock", hostPath: { path: "/run/docker.sock" } },
        ],
        containers: [
          { name: "a", image: "docker.io/app", securityContext: { privileged: true, capabilities: { add: ["CHOWN", "NET_ADMIN", "SYS_TIME"] } } },
          { name: "b", image: "example.com/tools/x:1", securityContext: { runAsUser: 10 }, resources: { limits: { cpu: 1 } } },
          { name: "c", image: "busybox", ports: [{ containerPort: 80, hostPort: 80 }] },
        ],
        initContainers: [{ name: "init", image: "registry.example.com/init", securityContext: { privileged: false, runAsUser: 2000.5 } }],
        ephemeralContainers: [{ name: "debug", image: "busybox:1", securityContext: { privileged: true, runAsUser: 0 } }],
      },
      {
        name: "weird \"name\" \\ é",
        namespace: "team-a",
        labels: { "a-x": "fine", b: "BAD value", c: "good" },
        annotations: { "example.com/owner": "ops" },
      },
    );
    const expected = agree(podRule, object);
    expect(expected.flat().length).toBeGreaterThan(15);
    expect(expected[1]).toEqual([
      "Container a runs as 5000 over 1000",
      "Container c runs as 5000 over 1000",
      "Container init runs as 2000.5 over 1000",
    ]);
    expect(expected[4]).toEqual(["Volume root path / type Directory", "Volume sock path /run/docker.sock type <none>"]);
  });

  test("a pod with nothing set: missing values, empty collections, all() on none", () => {
    const expected = agree(podRule, pod({}));
    expect(expected[2]).toEqual(["every container of p has limits"]);
    agree(podRule, pod({ containers: [] }, { name: "q" }));
  });

  test("a compliant pod", () => {
    const object = pod({
      dnsPolicy: "Default",
      restartPolicy: "Always",
      securityContext: {},
      containers: [{ name: "a", image: "registry.example.com/a", securityContext: { runAsUser: 1000, capabilities: { add: ["KILL"] } } }],
    });
    expect(agree(podRule, object).flat()).toEqual(["Container a image registry.example.com/a not exempt"]);
  });

  test("workload kinds read their pod template", () => {
    const template = { metadata: { labels: { "z-x": "1" } }, spec: { containers: [{ name: "a", image: "busybox", securityContext: { privileged: true } }] } };
    agree(podRule, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { template } });
    agree(podRule, { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "cj" }, spec: { jobTemplate: { spec: { template } } } });
    agree(podRule, { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "cj" }, spec: {} });
  });

  test("parameters: configured values, and Gatekeeper's defaults when the constraint sets none", () => {
    const object = pod({ containers: [{ name: "a", image: "x", securityContext: { runAsUser: 50, capabilities: { add: ["NET_RAW"] } } }] });
    agree(podRule, object, { ...defaultParams(podRule), maxUid: 10, allowedCaps: ["NET_RAW"], exemptImages: ["x*"] });
    const defaults = evaluateChecks(podRule, object, defaultParams(podRule));
    expect(celChecks(podRule, object, {}, "variables.params")).toEqual(defaults);
    const lowered = lowerCel(podRule, rootsFor(object, "variables.anyObject"), "variables.params");
    const partial = lowered.validations.map((v) =>
      runCelProgram({ variables: lowered.variables, validations: [v] }, {}, { anyObject: toCel(object), params: toCel({ maxUid: 10 }) }),
    );
    expect(partial).toEqual(evaluateChecks(podRule, object, { ...defaultParams(podRule), maxUid: 10 }));
  });

  test("numbers, strings, maps and lists of a free-form kind", () => {
    const base = { apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t1", labels: { a: "x", b: "prod" } } };
    agree(thingRule, { ...base, spec: { ratio: 0.25, replicas: 3, mode: "strict", data: { k1: "ok", k2: "no", x: "no" }, tags: ["prod", "Dev"], allowed: ["prod"] } });
    agree(thingRule, { ...base, spec: { ratio: 3, replicas: 3, mode: "lax", tags: [], allowed: [] } });
    agree(thingRule, { ...base, spec: { ratio: 2.5, replicas: 2, mode: 7 as unknown as string, tags: ["a"], allowed: ["a"] } });
    agree(thingRule, { ...base, spec: { ratio: "0.1" as unknown as number, replicas: true as unknown as number } });
    agree(thingRule, { ...base, spec: {} });
    agree(thingRule, { ...base, metadata: { name: "t" } });
    agree(thingRule, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "not-matched" } });
  });

  test("hand-written conditions: empty and/or, mixed literals, values of the wrong type", () => {
    const base = { apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "r" } };
    for (const weird of [3, 3.0, 2, "x", "xyz", ["a", 1], [1, "a"], { a: 1 }, null, true, ["mode*", 5]]) {
      agree(raw, { ...base, spec: { weird, mode: "mode-1", tags: ["a", "ab", "b"], data: { k1: "v", k2: "w" } } });
    }
    agree(raw, { ...base, metadata: { name: "r", namespace: "ns" }, spec: { tags: [], data: {} } });
    agree(raw, { ...base });
  });
});

describe("a container-item lookup inside another iteration", () => {
  // Volumes some container mounts writable: the lowering computes the writable mounts' names once.
  const writable = defineRule({
    ...meta,
    id: "writable",
    match: workloads,
    checks: ({ pod }) => [
      forEach(items(pod.spec.volumes, "volume"), (volume) =>
        when(
          any(containers(pod), (container) =>
            any(items(container.volumeMounts, "mount"), (mount) => and(equals(mount.name, volume.name), not(equals(mount.readOnly, true)))),
          ),
          msg`${volume.name} is mounted writable`,
        ),
      ),
    ],
  });

  test("computes the keys once in a variable, and each volume looks its name up there", () => {
    const lowered = lowerCel(writable, podRoots("object", []), {});
    expect(lowered.variables.map((v) => v.name)).toEqual(["containers", "containersKeys0"]);
    expect(lowered.variables[1]!.expression).toBe(
      "variables.containers.map(container, [container].filter(step, type(step) == map && \"volumeMounts\" in step).map(step, step[\"volumeMounts\"]).filter(step, type(step) == list)[?0].orValue([]).filter(mount, !([mount].filter(step, type(step) == map && \"readOnly\" in step).map(step, step[\"readOnly\"]).filter(step, type(step) != null_type).exists(value, value == true)) && [mount].filter(step, type(step) == map && \"name\" in step).map(step, step[\"name\"]).filter(step, type(step) != null_type)[?0].hasValue()).map(mount, [mount].filter(step, type(step) == map && \"name\" in step).map(step, step[\"name\"]).filter(step, type(step) != null_type)[?0].value()))",
    );
    expect(lowered.validations[0]!.expression).toBe(
      "![[object].filter(step, type(step) == map && \"spec\" in step).map(step, step[\"spec\"]).filter(step, type(step) != null_type)[?0].orValue(null)].filter(step, type(step) == map && \"volumes\" in step).map(step, step[\"volumes\"]).filter(step, type(step) == list)[?0].orValue([]).exists(volume, [volume].filter(step, type(step) == map && \"name\" in step).map(step, step[\"name\"]).filter(step, type(step) != null_type).exists(value, variables.containersKeys0.exists(keys, value in keys)))",
    );
  });

  test.each([
    ["mounted writable, read-only, and not at all", { volumes: [{ name: "a" }, { name: "b" }, { name: "c" }], containers: [{ name: "x", volumeMounts: [{ name: "a" }, { name: "b", readOnly: true }] }] }],
    ["by a second container and an init container", { volumes: [{ name: "a" }, { name: "b" }], containers: [{ name: "x" }, { name: "y", volumeMounts: [{ name: "b", readOnly: false }] }], initContainers: [{ name: "i", volumeMounts: [{ name: "a" }] }] }],
    ["names missing on either side", { volumes: [{ hostPath: {} }, { name: "a" }], containers: [{ name: "x", volumeMounts: [{ mountPath: "/m" }, { name: "a", readOnly: "yes" }] }] }],
    ["no containers", { volumes: [{ name: "a" }] }],
  ])("agrees with the reference: %s", (_name, spec) => {
    agree(writable, pod(spec as Json));
  });
});

describe("entries", () => {
  test("map entries in key order when the map is written in key order", () => {
    const object = pod({}, { name: "p", labels: { "a-x": "1", "b-x": "2", "c-x": "3" } });
    expect(agree(podRule, object)[5]).toEqual(["Label a-x=1", "Label b-x=2", "Label c-x=3"]);
  });

  test("in the map's own order otherwise: the same messages, possibly in another order", () => {
    const object = pod({}, { name: "p", labels: { "c-x": "3", "a-x": "1" } });
    const expected = evaluateChecks(podRule, object, defaultParams(podRule))[5]!;
    const actual = celChecks(podRule, object, defaultParams(podRule), "inline")[5]!;
    expect([...actual].sort()).toEqual([...expected].sort());
  });
});

describe("generated CEL", () => {
  const object = pod({ containers: [{ name: "a", image: "b" }] });
  const lowerings = [
    lowerCel(podRule, rootsFor(object, "object"), defaultParams(podRule)),
    lowerCel(podRule, rootsFor(object, "variables.anyObject"), "variables.params"),
    lowerCel(thingRule, { object: "object" }, {}),
    lowerCel(raw, { object: "object" }, defaultParams(raw)),
  ];
  test("type-checks: validations are bool, messages string", () => {
    for (const lowered of lowerings) {
      for (const v of lowered.variables) expect(celEnvironment.check(v.expression).valid, v.expression).toBe(true);
      for (const v of lowered.validations) {
        expect(celEnvironment.check(v.expression), v.expression).toMatchObject({ valid: true, type: "bool" });
        expect(celEnvironment.check(v.messageExpression), v.messageExpression).toMatchObject({ valid: true, type: "string" });
      }
    }
  });

  test("reserved words and odd keys are read by index, binding names stay identifiers", () => {
    const text = JSON.stringify(lowerings[0]);
    expect(text).toContain('[object].filter(step, type(step) == map && \\"metadata\\" in step).map(step, step[\\"metadata\\"]).filter(step, type(step) == map && \\"namespace\\" in step).map(step, step[\\"namespace\\"])');
    expect(text).toContain('.filter(step, type(step) == map && \\"example.com/owner\\" in step).map(step, step[\\"example.com/owner\\"])');
    const keyword = lowerCel(raw, { object: "object" }, defaultParams(raw)).validations[13]!.expression;
    expect(keyword).toContain(".filter(each_in, ");
  });

  test("the host-ipc check reads as intended", () => {
    const hostIpc = defineRule({
      ...meta,
      id: "h",
      match: workloads,
      checks: ({ pod }) => [when(equals(pod.spec.hostIPC, true), msg`x`)],
    });
    expect(lowerCel(hostIpc, podRoots("object", []), {}).validations).toEqual([
      {
        expression:
          "!([[object].filter(step, type(step) == map && \"spec\" in step).map(step, step[\"spec\"]).filter(step, type(step) != null_type)[?0].orValue(null)].filter(step, type(step) == map && \"hostIPC\" in step).map(step, step[\"hostIPC\"]).filter(step, type(step) != null_type).exists(value, value == true))",
        messageExpression: '"x"',
      },
    ]);
  });

  test("a lowering names the pod roots it read, the containers variable counting as the spec", () => {
    const roots = podVariableRoots("object");
    const readsMeta = defineRule({ ...meta, id: "m", match: workloads, checks: ({ pod }) => [when(present(pod.metadata.name), msg`x`)] });
    const readsContainers = defineRule({ ...meta, id: "c", match: workloads, checks: ({ pod }) => [when(present(pod.metadata.name), msg`x`), forEach(containers(pod), (c) => when(present(c.name), msg`y`))] });
    const readsObject = defineRule({ ...meta, id: "o", match: workloads, checks: () => [when(present({ op: "path", scope: { kind: "object" }, segments: ["kind"] }), msg`z`)] });
    expect(lowerCel(readsMeta, roots, {}).podRootsRead).toEqual(["podMeta"]);
    expect(lowerCel(readsContainers, roots, {}).podRootsRead).toEqual(["podSpec", "podMeta"]);
    expect(lowerCel(readsObject, roots, {}).podRootsRead).toEqual([]);
    expect(podSelectors(["podMeta"], "object", WORKLOAD_KINDS.slice(0, 2))).toEqual([
      {
        name: "podMeta",
        expression:
          "object.?kind.orValue(\"\") == \"Pod\" ? [object].filter(step, type(step) == map && \"metadata\" in step).map(step, step[\"metadata\"]).filter(step, type(step) != null_type)[?0] : [object].filter(step, type(step) == map && \"spec\" in step).map(step, step[\"spec\"]).filter(step, type(step) == map && \"template\" in step).map(step, step[\"template\"]).filter(step, type(step) == map && \"metadata\" in step).map(step, step[\"metadata\"]).filter(step, type(step) != null_type)[?0]",
      },
    ]);
  });

  test("errors name the rule", () => {
    expect(() => lowerCel(podRule, { object: "object" }, defaultParams(podRule))).toThrow(/rule pod-constructs: .*no pod root/);
    expect(() => lowerCel(podRule, podRoots("object", []), {})).toThrow(/rule pod-constructs: no value for parameter "maxUid"/);
    const objects = defineRule({
      ...meta,
      id: "objects",
      match: workloads,
      checks: ({ pod }) => [when(present(pod.spec), msg`${filtered(containers(pod), (c) => present(c.name))}`)],
    });
    expect(() => lowerCel(objects, podRoots("object", []), {})).toThrow(/rule objects: a message lists filtered containers/);
  });
});

describe("CEL literals", () => {
  const texts = [
    'quote " and \' apostrophe',
    "back\\slash \\n not a newline",
    "new\nline\r\n and\ttab",
    "percent %s %d %% and {{ braces }} ${dollar}",
    "non-ASCII: é ü 中文 😀 \u0000 \u007f \u2028",
    "",
  ];
  test.each(texts)("celString round-trips %j", (text) => {
    const literal = celString(text);
    expect(literal).toMatch(/^"[\x20-\x7e]*"$/);
    expect(celEnvironment.evaluate(literal)).toBe(text);
  });

  test("celLiteral keeps JSON values, mixed lists wrapped in dyn()", () => {
    expect(celLiteral([1, "a", 2.5, null, true, { k: [] }])).toBe('[dyn(1), dyn("a"), dyn(2.5), dyn(null), dyn(true), dyn({"k": []})]');
    expect(celLiteral({ a: 1, b: 2 })).toBe('{"a": 1, "b": 2}');
    expect(celLiteral(1e21)).toBe("1e+21");
    expect(celLiteral(-0.5)).toBe("-0.5");
    expect(celEnvironment.evaluate(`${celLiteral([1, "a"])} == [dyn(1), dyn("a")]`)).toBe(true);
  });

  test("message text with every awkward character survives", () => {
    const text = "Bad \"x\" \\ 100% {{ .Values }} {{{raw}}}\nline 2 — é 😀";
    const rule = defineRule({ ...meta, id: "m", match: workloads, checks: ({ pod }) => [when(absent(pod.spec.hostIPC), { parts: [text, { op: "path", scope: { kind: "podSpec" }, segments: ["x"] }, text] })] });
    const lowered = lowerCel(rule, podRoots("object", []), {});
    expect(runCelProgram({ variables: [], validations: lowered.validations }, { object: toCel(pod({})) })).toEqual([`${text}<none>${text}`]);
  });
});
