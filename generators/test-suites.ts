// Peer-native test suites from every enabled rule's fixtures, under tests/ (beside the policy
// folders, so `kubectl apply -k` of those never picks them up):
// - tests/gator/<id>/suite.yaml: a gator Suite (`gator verify`) running the rule's
//   ConstraintTemplate and Constraint on each fixture (objects/<fixture>.yaml: the object of a
//   CREATE, an AdmissionReview for an UPDATE or DELETE, which gator reviews as the request),
//   asserting the exact number of violations and each message. gator runs the template's CEL
//   (K8sNativeValidation, its default), which reports one violation per failing check, the
//   messages of its elements joined by MESSAGE_SEPARATOR; the assertions count that way.
// - tests/kyverno/<id>/kyverno-test.yaml and tests/kyverno-clusterpolicy/<id>/kyverno-test.yaml:
//   Kyverno CLI Tests (`kyverno test`) of the ValidatingPolicy and of the ClusterPolicy, each
//   fixture a resource (renamed to the fixture's name, as results name resources) that must
//   pass or fail, or be skipped (a ValidatingPolicy whose matchConditions leave out an exempt Pod
//   update). A result's `operation: UPDATE` has Kyverno send the resource as both object and
//   oldObject, so an UPDATE fixture is there only when that is its request to the policy
//   (kyvernoStates); Kyverno's policies match no DELETE, which leaves no result to assert.
// Fixtures that set parameters get their own Constraint (gator) or policy (Kyverno), generated
// by the same generators with those values over the rule's defaults.

import { type Fixture, fixtureDir, loadFixtures } from "../src/catalog/fixtures.ts";
import type { Config, EnabledRule } from "../src/config/types.ts";
import { groupVersionKind, objectName, requestObjects } from "../src/engines/request.ts";
import { applies, evaluateChecks } from "../src/lower/reference/evaluate.ts";
import { MESSAGE_SEPARATOR } from "../src/model/messages.ts";
import { type ParamValues, defaultParams } from "../src/model/index.ts";
import { exemptsPodUpdates, reviews } from "../src/model/updates.ts";
import { schemaCheck } from "../src/schemas.ts";
import admissionReviewValidator from "../src/schema-validators/admission-review.ts";
import gatorSuiteValidator from "../src/schema-validators/gator-suite.ts";
import kyvernoTestValidator from "../src/schema-validators/kyverno-test.ts";
import { resourceName } from "./admission.ts";
import type { Generator, OutputFile } from "./types.ts";
import { parseGenerated, renderTemplate, yamlBlock } from "./yaml-template.ts";

const validateSuite = schemaCheck(gatorSuiteValidator);
const validateKyvernoTest = schemaCheck(kyvernoTestValidator);
const validateAdmissionReview = schemaCheck(admissionReviewValidator);

/** The generators whose output the suites run. */
export interface SuiteTargets {
  gatekeeper: Generator;
  kyverno: Generator;
  kyvernoClusterPolicy: Generator;
}

/**
 * Fixtures sharing the parameters they set; `variant` names the folder or file of their own
 * policy, when the parameters differ from those of the policies in out/.
 */
interface FixtureGroup {
  variant?: string;
  params: ParamValues;
  fixtures: Fixture[];
}

function groupByParameters(enabled: EnabledRule, fixtures: Fixture[]): FixtureGroup[] {
  const groups = new Map<string, FixtureGroup>();
  for (const fixture of fixtures) {
    // Fixtures state their parameters over the rule's defaults (of their version), not over the
    // configuration's; a fixture stating a default value shares the policy of those stating none.
    const params = { ...defaultParams(enabled.rule, fixture.podSecurityVersion), ...fixture.parameters };
    const key = JSON.stringify([fixture.podSecurityVersion, params]);
    let group = groups.get(key);
    if (!group) {
      const own = JSON.stringify(params) !== JSON.stringify({ ...defaultParams(enabled.rule), ...enabled.params });
      const variant = !own
        ? undefined
        : Object.keys(fixture.parameters).length > 0
          ? `parameters-${groups.size}`
          : fixture.podSecurityVersion === "latest"
            ? "defaults"
            : `pss-${fixture.podSecurityVersion}`;
      group = { variant, params, fixtures: [] };
      groups.set(key, group);
    }
    group.fixtures.push(fixture);
  }
  return [...groups.values()];
}

/** One generator's file for the rule, generated with other parameter values. */
function regenerated(generator: Generator, enabled: EnabledRule, params: ParamValues, config: Config, path: string): string {
  const file = generator.generate([{ ...enabled, params }], config).find((f) => f.path === path);
  if (!file) throw new Error(`generator ${generator.name} wrote no ${path} for rule ${enabled.rule.id}`);
  return file.content;
}

/** A Go (RE2) regular expression matching `text` literally. */
function re2Literal(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/** gator assertions: the violations (one per failing check) and, per distinct message, how many carry it. */
function assertions(enabled: EnabledRule, fixture: Fixture, params: ParamValues): Array<{ violations: number; message?: string }> {
  const perCheck = reviews(enabled.rule, fixture) ? evaluateChecks(enabled.rule, fixture.object, params).filter((messages) => messages.length > 0) : [];
  const flat = perCheck.flat().sort();
  if (JSON.stringify(flat) !== JSON.stringify([...fixture.violations].sort())) {
    throw new Error(`${fixture.file}: the rule reports ${JSON.stringify(flat)}, the fixture expects ${JSON.stringify(fixture.violations)}`);
  }
  const separator = re2Literal(MESSAGE_SEPARATOR);
  const messages = [...new Set(flat)].map((message) => ({
    violations: perCheck.filter((messages) => messages.includes(message)).length,
    message: `(^|${separator})${re2Literal(message)}(${separator}|$)`,
  }));
  return [{ violations: perCheck.length }, ...messages];
}

function yamlFile(path: string, value: unknown, validate?: (doc: unknown, file: string) => void): OutputFile {
  const content = renderTemplate("generated.yaml.hbs", { body: yamlBlock(value, 0) });
  if (validate) for (const doc of parseGenerated(content, path)) validate(doc, path);
  return { path, content };
}

/** The admission request of an UPDATE or DELETE fixture, as the API server sends it to Gatekeeper. */
function admissionReview(fixture: Fixture) {
  const gvk = groupVersionKind(fixture.object);
  const { name, namespace } = objectName(fixture.object);
  const { object, oldObject } = requestObjects(fixture);
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: `policypack-fixture-${fixture.name}`,
      kind: gvk,
      resource: { group: gvk.group, version: gvk.version, resource: resourceName(gvk.kind) },
      ...(fixture.subResource === undefined ? {} : { subResource: fixture.subResource }),
      ...(name === undefined ? {} : { name }),
      ...(namespace === undefined ? {} : { namespace }),
      operation: fixture.operation,
      ...(object === null ? {} : { object }),
      ...(oldObject === null ? {} : { oldObject }),
    },
  };
}

function gatorSuite(enabled: EnabledRule, groups: FixtureGroup[], config: Config, targets: SuiteTargets): OutputFile[] {
  const id = enabled.rule.id;
  const dir = `tests/gator/${id}`;
  const files: OutputFile[] = [];
  const tests = groups.map((group) => {
    let constraint = `../../../gatekeeper/constraints/${id}.yaml`;
    if (group.variant) {
      constraint = `constraint-${group.variant}.yaml`;
      const content = regenerated(targets.gatekeeper, enabled, group.params, config, `gatekeeper/constraints/${id}.yaml`);
      files.push({ path: `${dir}/${constraint}`, content });
    }
    const cases = group.fixtures.map((fixture) => {
      const path = `${dir}/objects/${fixture.name}.yaml`;
      files.push(fixture.operation === "CREATE" ? yamlFile(path, fixture.object) : yamlFile(path, admissionReview(fixture), validateAdmissionReview));
      return { name: fixture.name, object: `objects/${fixture.name}.yaml`, assertions: assertions(enabled, fixture, group.params) };
    });
    return { name: group.variant ? `${id} (${group.variant})` : id, template: `../../../gatekeeper/templates/${id}.yaml`, constraint, cases };
  });
  const suite = { apiVersion: "test.gatekeeper.sh/v1alpha1", kind: "Suite", metadata: { name: id }, tests };
  return [yamlFile(`${dir}/suite.yaml`, suite, validateSuite), ...files];
}

/** The ClusterPolicy rule that checks `kind`, from the generated policy's match. */
function clusterPolicyRule(policy: string, path: string, kind: string): string {
  const [doc] = parseGenerated(policy, path) as Array<{ spec: { rules: Array<{ name: string; match: { any: Array<{ resources: { kinds: string[] } }> } }> } }>;
  const rule = doc!.spec.rules.find((r) => r.match.any.some((f) => f.resources.kinds.some((k) => k.split("/").at(-1) === kind)));
  if (!rule) throw new Error(`${path}: no rule matches ${kind}`);
  return rule.name;
}

/**
 * Whether Kyverno evaluates the policy on the fixture's object at all: a result for an object
 * the policy does not match (another kind, an excluded namespace, a DELETE) would never be produced.
 */
function evaluatedByKyverno(enabled: EnabledRule, fixture: Fixture, config: Config): boolean {
  const namespace = (fixture.object.metadata as { namespace?: string } | undefined)?.namespace;
  return (
    fixture.operation !== "DELETE" && applies(enabled.rule, fixture.object) && !(namespace !== undefined && config.excludedNamespaces.includes(namespace))
  );
}

/**
 * Whether a Kyverno CLI result can state the fixture's request: Kyverno sends an UPDATE's resource
 * as its own oldObject, which is the fixture's request when it gives no other oldObject, or when
 * the policy reads no oldObject for the object (only a rule's Pod update exemption reads it); it
 * sends no request to a subresource.
 */
function kyvernoStates(enabled: EnabledRule, fixture: Fixture): boolean {
  if (fixture.subResource !== undefined) return false;
  if (fixture.operation !== "UPDATE" || fixture.oldObject === undefined) return true;
  return !(exemptsPodUpdates(enabled.rule) && fixture.object.kind === "Pod" && fixture.object.apiVersion === "v1");
}

function kyvernoTests(enabled: EnabledRule, groups: FixtureGroup[], config: Config, generator: Generator): OutputFile[] {
  const id = enabled.rule.id;
  const form = generator.name;
  const policyPath = `${form}/${id}.yaml`;
  // PodSecurityPolicy rules have no ValidatingPolicy to test.
  const validatingPolicy = generator.name === "kyverno";
  if (generator.generate([enabled], config).every((f) => f.path !== policyPath)) return [];
  return groups.flatMap((all) => {
    const group = { ...all, fixtures: all.fixtures.filter((f) => evaluatedByKyverno(enabled, f, config) && kyvernoStates(enabled, f)) };
    if (group.fixtures.length === 0) return [];
    const dir = `tests/${form}/${id}${group.variant ? `/${group.variant}` : ""}`;
    const policy = regenerated(generator, enabled, group.params, config, policyPath);
    const files: OutputFile[] = [];
    const policyRef = group.variant ? "policy.yaml" : `../../../${policyPath}`;
    if (group.variant) files.push({ path: `${dir}/policy.yaml`, content: policy });
    const resources = group.fixtures.map((fixture) => ({
      ...fixture.object,
      metadata: { ...(fixture.object.metadata as object), name: fixture.name },
    }));
    files.push({
      path: `${dir}/resources.yaml`,
      content: resources.map((r) => renderTemplate("generated.yaml.hbs", { body: yamlBlock(r, 0) })).join("---\n"),
    });
    type Result = { policy: string; rule?: string; isValidatingPolicy?: true; kind: string; operation?: "UPDATE"; resources: string[]; result: "pass" | "fail" | "skip" };
    const results = new Map<string, Result>();
    for (const fixture of group.fixtures) {
      const kind = String(fixture.object.kind);
      // A request the rule does not check: the ValidatingPolicy's matchConditions skip it, the ClusterPolicy's rule passes it.
      const result = !reviews(enabled.rule, fixture) && validatingPolicy ? "skip" : fixture.verdict === "violation" ? "fail" : "pass";
      const rule = validatingPolicy ? undefined : clusterPolicyRule(policy, policyPath, kind);
      const operation = fixture.operation === "UPDATE" ? ("UPDATE" as const) : undefined;
      const key = `${kind}/${rule}/${result}/${fixture.operation}`;
      const entry = results.get(key) ?? {
        policy: id,
        ...(rule ? { rule } : { isValidatingPolicy: true as const }),
        kind,
        ...(operation ? { operation } : {}),
        resources: [],
        result,
      };
      entry.resources.push(fixture.name);
      results.set(key, entry);
    }
    const test = {
      apiVersion: "cli.kyverno.io/v1alpha1",
      kind: "Test",
      metadata: { name: group.variant ? `${id}-${group.variant}` : id },
      policies: [policyRef],
      resources: ["resources.yaml"],
      results: [...results.values()],
    };
    return [yamlFile(`${dir}/kyverno-test.yaml`, test, validateKyvernoTest), ...files];
  });
}

export function testSuites(targets: SuiteTargets): Generator {
  return {
    name: "tests",
    generate(rules, config) {
      return rules.flatMap((enabled) => {
        const fixtures = loadFixtures(fixtureDir(enabled.file));
        if (fixtures.length === 0) return [];
        const groups = groupByParameters(enabled, fixtures);
        return [
          ...gatorSuite(enabled, groups, config, targets),
          ...kyvernoTests(enabled, groups, config, targets.kyverno),
          ...kyvernoTests(enabled, groups, config, targets.kyvernoClusterPolicy),
        ];
      });
    },
  };
}
