// Every generated CEL expression (Kyverno ValidatingPolicy and ClusterPolicy, VAP, Gatekeeper's
// K8sNativeValidation) stays within the API server's per-expression cost limit on large objects.
//
// The API server refuses an expression whose runtime cost passes 1,000,000 units. The cost here
// follows the cost model's rules of thumb, counted while the engine runs the expression: a
// comprehension (all, exists, exists_one, filter, map) costs, per element of its range, the
// number of AST nodes of its body (an upper bound: each node costs about one unit, and
// quantifiers are counted as if they never stopped early); `x in list` costs the list's length.
// Variables count as expressions of their own, as Kubernetes charges them once.
//
// The objects: a pod with 64 volumes (all hostPath), 64 containers each mounting every volume
// read-only, 512 container ports and 512 env entries in all, 512 labels and annotations, as a Pod
// and as a Deployment; for the other kinds, an object carrying every list those rules iterate, at
// similar sizes. host-path-volumes is built with readOnlyHostPaths covering the volumes, the
// parameter that makes it loop volumes x mounts.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { build } from "../../src/generate/build.ts";
import type { Json } from "../../src/model/index.ts";
import { celEnvironment, parseProgram, toCel } from "../../src/engines/cel.ts";
import { REQUEST_CHECKED_VARIABLE } from "../../src/lower/cel/index.ts";

const LIMIT = 1_000_000;
const REPO = fileURLToPath(new URL("../../", import.meta.url));

const scratch = mkdtempSync(join(tmpdir(), "policypack-budget-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const config = parse(readFileSync(join(REPO, "policypack.config.yaml"), "utf8")) as Record<string, unknown>;
const configFile = join(scratch, "policypack.config.yaml");
writeFileSync(configFile, JSON.stringify({ ...config, parameters: { "host-path-volumes": { readOnlyHostPaths: ["/data/*"] } } }));
await build({ configFile, outDir: join(scratch, "out"), check: false });

// --- counting -------------------------------------------------------------------------------

let cost = 0;
const size = (value: unknown) => (Array.isArray(value) ? value.length : value instanceof Map ? value.size : typeof value === "object" && value !== null ? Object.keys(value).length : 0);
celEnvironment.registerFunction("budgetVisits(dyn, int): dyn", (range: unknown, perElement: bigint) => {
  cost += size(range) * Number(perElement);
  return range;
});
celEnvironment.registerFunction("budgetScan(dyn): dyn", (list: unknown) => {
  if (Array.isArray(list)) cost += list.length;
  return list;
});

interface Node {
  op: string;
  args: unknown;
  meta: { alternate?: Node };
}
const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && "op" in value && "args" in value && "meta" in value;

/** A call of a counting function around `inner`: parsed, so the engine knows the node, then grafted. */
function counted(call: string, inner: Node): Node {
  const wrapper = (parseProgram(call.replace("INNER", "budgetPlaceholder")).ast as Node & { args: [string, Node[]] });
  wrapper.args[1][0] = inner;
  return wrapper;
}

function nodeCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + nodeCount(v), 0);
  if (isNode(value)) return 1 + nodeCount(value.meta.alternate ?? value.args);
  if (typeof value === "object" && value !== null) return Object.values(value).reduce((n: number, v) => n + nodeCount(v), 0);
  return 0;
}

/** Wraps every comprehension range in budgetVisits and every list of `in` in budgetScan. */
function instrument(value: unknown, seen = new Set<unknown>()): void {
  if (seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) return value.forEach((v) => instrument(v, seen));
  if (!isNode(value)) {
    if (typeof value === "object" && value !== null) Object.values(value).forEach((v) => instrument(v, seen));
    return;
  }
  const comprehension = value.meta.alternate;
  if (comprehension?.op === "comprehension") {
    const args = comprehension.args as { iterable: Node; step: Node; condition?: unknown };
    instrument(args.iterable, seen);
    instrument(args.step, seen);
    const perElement = nodeCount(args.step);
    args.iterable = counted(`budgetVisits(INNER, ${perElement})`, args.iterable);
    return;
  }
  if (value.op === "in" && Array.isArray(value.args)) {
    instrument(value.args, seen);
    value.args[1] = counted("budgetScan(INNER)", value.args[1] as Node);
    return;
  }
  instrument(value.meta.alternate ?? value.args, seen);
}

function measure(expression: string, activation: Record<string, unknown>): number {
  const program = parseProgram(expression);
  instrument(program.ast);
  cost = 0;
  program(activation);
  return cost;
}

// --- objects --------------------------------------------------------------------------------

const range = (n: number) => [...Array(n).keys()];
const names = (prefix: string, n: number) => range(n).map((i) => `${prefix}${i}`);
const stringMap = (prefix: string, n: number) => Object.fromEntries(names(prefix, n).map((k) => [`example.com/${k}`, k]));
const metadata = { name: "big", namespace: "default", labels: stringMap("l", 512), annotations: stringMap("a", 512) };

const podSpec = {
  volumes: range(64).map((i) => ({ name: `v${i}`, hostPath: { path: `/data/${i}` } })),
  containers: range(64).map((c) => ({
    name: `c${c}`,
    image: `registry.example.com/app:${c}`,
    ports: range(8).map((p) => ({ containerPort: 1000 + p, hostPort: 1000 + p })),
    env: range(8).map((e) => ({ name: `E${e}`, value: "x" })),
    volumeMounts: range(64).map((v) => ({ name: `v${v}`, mountPath: `/m/${v}`, readOnly: true })),
    securityContext: { capabilities: { add: names("CAP_", 8), drop: ["ALL"] } },
  })),
};
const pod = { apiVersion: "v1", kind: "Pod", metadata, spec: podSpec };
const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata, spec: { replicas: 3, template: { metadata, spec: podSpec } } };

/** Any other kind, with every list the rules for such kinds iterate. */
const other = (apiVersion: string, kind: string) => ({
  apiVersion,
  kind,
  metadata,
  subjects: range(512).map((i) => ({ kind: "User", name: `u${i}` })),
  rules: range(64).map(() => ({ apiGroups: names("g", 64), resources: names("r", 64), verbs: names("v", 64), nonResourceURLs: names("/u", 64) })),
  spec: {
    tls: range(64).map((i) => ({ hosts: [`h${i}`] })),
    rules: range(64).map((i) => ({ host: `h${i}` })),
    externalIPs: names("10.0.0.", 64),
    ports: range(512).map((i) => ({ port: i, nodePort: 30000 + i })),
  },
});

// --- policies -------------------------------------------------------------------------------

interface Measured {
  where: string;
  cost: number;
}

type Variables = Array<{ name: string; expression: string }>;
type Expressions = Array<{ expression: string; messageExpression?: string }>;

function objectsFor(kinds: Array<{ apiVersion: string; kind: string }>): Array<Record<string, Json>> {
  return kinds.map(({ apiVersion, kind }) => (kind === "Pod" ? pod : kind === "Deployment" ? deployment : other(apiVersion, kind)) as Record<string, Json>);
}

/**
 * The expressions deciding whether the request is checked at all (matchConditions, Gatekeeper's
 * and the ClusterPolicy's requestChecked variable) cost most on an UPDATE whose object is its
 * old object: they compare both in full. The rest is measured on a CREATE, which checks everything.
 */
function measureRequestChecks(where: string, conditions: Variables, object: Record<string, Json>, preset: Record<string, unknown> = {}): Measured[] {
  const activation = { object: toCel(object), oldObject: toCel(object), request: { operation: "UPDATE" }, variables: { ...preset } };
  return conditions.map((c) => ({ where: `${where} ${c.name}`, cost: measure(c.expression, activation) }));
}

function measureProgram(where: string, variables: Variables, expressions: Expressions, object: Record<string, Json>, preset: Record<string, unknown> = {}): Measured[] {
  const bindings: Record<string, unknown> = { object: toCel(object), oldObject: null, request: { operation: "CREATE" } };
  const values: Record<string, unknown> = { ...preset };
  const activation = { ...bindings, variables: values };
  const results: Measured[] = measureRequestChecks(where, variables.filter((v) => v.name === REQUEST_CHECKED_VARIABLE), object, preset);
  for (const variable of variables) {
    const program = parseProgram(variable.expression);
    values[variable.name] = program(activation);
    results.push({ where: `${where} variable ${variable.name}`, cost: measure(variable.expression, activation) });
  }
  expressions.forEach((e, i) => {
    results.push({ where: `${where} validation ${i}`, cost: measure(e.expression, activation) });
    if (e.messageExpression) results.push({ where: `${where} messageExpression ${i}`, cost: measure(e.messageExpression, activation) });
  });
  return results;
}

const OUT = join(scratch, "out");
const yamlDocs = (path: string) => parseAllDocuments(readFileSync(join(OUT, path), "utf8")).map((d) => d.toJS());
const policyFiles = (folder: string) => readdirSync(join(OUT, folder)).filter((f) => f !== "kustomization.yaml");
const resourceKinds = (rules: Array<{ apiGroups: string[]; apiVersions: string[]; resources: string[] }>) =>
  rules.flatMap((r) =>
    // A subresource (pods/ephemeralcontainers) carries its resource's object, measured as that.
    r.resources.filter((resource) => !resource.includes("/")).map((resource) => {
      const kind = resource === "pods" ? "Pod" : resource === "deployments" ? "Deployment" : resource;
      return { apiVersion: r.apiGroups[0] === "" ? r.apiVersions[0]! : `${r.apiGroups[0]}/${r.apiVersions[0]}`, kind };
    }),
  );

function measureAll(): Measured[] {
  const results: Measured[] = [];
  for (const folder of ["kyverno", "vap"]) {
    for (const file of policyFiles(folder)) {
      const [policy] = yamlDocs(`${folder}/${file}`);
      for (const object of objectsFor(resourceKinds(policy.spec.matchConstraints.resourceRules))) {
        results.push(...measureRequestChecks(`${folder}/${file} (${object.kind}) matchCondition`, policy.spec.matchConditions ?? [], object));
        results.push(...measureProgram(`${folder}/${file} (${object.kind})`, policy.spec.variables ?? [], policy.spec.validations, object));
      }
    }
  }
  for (const file of policyFiles("kyverno-clusterpolicy")) {
    const [policy] = yamlDocs(`kyverno-clusterpolicy/${file}`);
    for (const rule of policy.spec.rules) {
      const kinds = (rule.match.any[0].resources.kinds as string[]).map((k) => {
        const parts = k.split("/");
        return parts.length === 1 ? { apiVersion: "v1", kind: k } : { apiVersion: `${parts[0]}/${parts[1]}`, kind: parts[2]! };
      });
      const [object] = objectsFor([kinds.find((k) => k.kind === "Pod" || k.kind === "Deployment") ?? kinds[0]!]);
      results.push(...measureProgram(`kyverno-clusterpolicy/${file} rule ${rule.name}`, rule.validate.cel.variables ?? [], rule.validate.cel.expressions, object!));
    }
  }
  for (const file of policyFiles("gatekeeper/templates")) {
    const [template] = yamlDocs(`gatekeeper/templates/${file}`);
    const [constraint] = yamlDocs(`gatekeeper/constraints/${file}`);
    const source = template.spec.targets[0].code.find((c: { engine: string }) => c.engine === "K8sNativeValidation").source;
    const matchKinds = (constraint.spec.match.kinds as Array<{ apiGroups: string[]; kinds: string[] }>).flatMap((k) =>
      k.kinds.map((kind) => ({ apiVersion: k.apiGroups[0] === "" ? "v1" : `${k.apiGroups[0]}/v1`, kind })),
    );
    for (const object of objectsFor(matchKinds.filter((k) => k.kind === "Pod" || k.kind === "Deployment").length > 0 ? matchKinds.filter((k) => k.kind === "Pod" || k.kind === "Deployment") : matchKinds)) {
      const params = constraint.spec.parameters ? toCel(constraint.spec.parameters) : null;
      results.push(...measureProgram(`gatekeeper/templates/${file} (${object.kind})`, source.variables ?? [], source.validations, object, { params, anyObject: toCel(object) }));
    }
  }
  return results;
}

test("every generated CEL expression stays under the API server's per-expression cost limit on large objects", () => {
  const results = measureAll().sort((a, b) => b.cost - a.cost);
  console.log(`CEL cost, the worst five of ${results.length} expressions:\n${results.slice(0, 5).map((r) => `  ${r.cost.toLocaleString("en")}  ${r.where}`).join("\n")}`);
  // Not vacuous: the large objects make some expression work hard.
  expect(results[0]!.cost).toBeGreaterThan(10_000);
  expect(results.filter((r) => r.cost > LIMIT)).toEqual([]);
  // The Pod update checks were measured too, on the update that compares everything.
  expect(results.filter((r) => r.where.endsWith(`(Pod) ${REQUEST_CHECKED_VARIABLE}`) && r.cost > 1_000).length).toBeGreaterThan(0);
  expect(results.filter((r) => r.where.endsWith("(Pod) matchCondition pod-security-admission-updates") && r.cost > 1_000).length).toBeGreaterThan(0);
  // Every path is read step by step (total CEL): 3,710 expressions over large objects took 79 s
  // on a heavily shared 2-core machine.
}, 240_000);
