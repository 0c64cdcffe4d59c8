// Gatekeeper: per enabled rule a ConstraintTemplate (gatekeeper/templates/<id>.yaml) carrying the
// rule twice, as K8sNativeValidation CEL and as Rego v1, and a Constraint
// (gatekeeper/constraints/<id>.yaml) instantiating it. Templates must be applied first: the
// constraint's kind is the CRD its template creates. See docs/gatekeeper.md for the template form
// and the Gatekeeper versions it needs.

import type { Config, EnabledRule, Enforcement } from "../src/config/types.ts";
import { REQUEST_CHECKED_VARIABLE, celString, lowerCel, podSelectors, podVariableRoots, requestCheckedCel, unlessUnchecked } from "../src/lower/cel/index.ts";
import { lowerRego } from "../src/lower/rego/index.ts";
import { type GroupVersionKind, type ParamSpec, type Rule, apiVersionOf } from "../src/model/rule.ts";
import { schemaCheck } from "../src/schemas.ts";
import constraintTemplateValidator from "../src/schema-validators/gatekeeper-constrainttemplate.ts";
import constraintValidator from "../src/schema-validators/gatekeeper-constraint.ts";
import { exemptsPodUpdates } from "../src/model/updates.ts";
import type { Generator, OutputFile } from "./types.ts";
import { kustomization, parseGenerated, renderTemplate, yamlBlock } from "./yaml-template.ts";

const ENFORCEMENT_ACTIONS: Record<Enforcement, "deny" | "warn" | "dryrun"> = { deny: "deny", warn: "warn", audit: "dryrun" };

const validateTemplate = schemaCheck(constraintTemplateValidator);
const validateConstraint = schemaCheck(constraintValidator);

/** The constraint kind (CRD kind) of a rule: `host-ipc` → `PolicypackHostIpc`. */
export function constraintKind(ruleId: string): string {
  const words = ruleId.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  return ["policypack", ...words].map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

function parameterSchema({ type, description, fields }: ParamSpec): object {
  if (type === "object[]") {
    // Declared fields are each required; without them an object's fields are strings
    // (model/rule.ts): a structural schema that keeps them.
    const items = fields
      ? { type: "object", properties: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, { type: field }])), required: Object.keys(fields) }
      : { type: "object", additionalProperties: { type: "string" } };
    return { type: "array", description, items };
  }
  if (type.endsWith("[]")) return { type: "array", description, items: { type: type.slice(0, -2) } };
  return { type, description };
}

/** Kinds as Gatekeeper matches them: one entry per API group, in first-seen order. */
function matchKinds(kinds: readonly GroupVersionKind[]): Array<{ apiGroups: string[]; kinds: string[] }> {
  const groups = [...new Set(kinds.map((k) => k.group))];
  return groups.map((group) => ({ apiGroups: [group], kinds: [...new Set(kinds.filter((k) => k.group === group).map((k) => k.kind))] }));
}

// Gatekeeper binds the object under review (oldObject on DELETE) to variables.anyObject.
const ANY_OBJECT = "variables.anyObject";

function celCode(rule: Rule): object {
  const workloads = rule.match.type === "workloads";
  const lowered = lowerCel(rule, workloads ? podVariableRoots(ANY_OBJECT) : { object: ANY_OBJECT }, "variables.params");
  // Gatekeeper may be sent DELETE requests (reviewing the deleted object) and Pod updates.
  const checked = requestCheckedCel({ object: ANY_OBJECT, deletes: true, podUpdates: exemptsPodUpdates(rule) })!;
  const variables = [{ name: REQUEST_CHECKED_VARIABLE, expression: checked }, ...podSelectors(lowered.podRootsRead, ANY_OBJECT), ...lowered.variables];
  // The static message stands in when a messageExpression fails; it may not hold line breaks.
  const message = rule.title.replace(/\s*[\r\n]+\s*/g, " ");
  // The Constraint selects by group and kind only; the version must be one the rule knows, as
  // in every engine (the object on CREATE and UPDATE, the old one on DELETE).
  const kinds = rule.match.type === "workloads" ? rule.match.workloads : rule.match.kinds;
  const apiVersions = [...new Set(kinds.map(apiVersionOf))].map(celString).join(", ");
  return {
    engine: "K8sNativeValidation",
    source: {
      matchConditions: [{ name: "known-api-version", expression: `(object != null ? object : oldObject).?apiVersion.orValue("") in [${apiVersions}]` }],
      variables,
      validations: lowered.validations.map((v) => ({ expression: unlessUnchecked(v.expression), messageExpression: v.messageExpression, message })),
    },
  };
}

function templateFile(rule: Rule): OutputFile {
  const path = `gatekeeper/templates/${rule.id}.yaml`;
  const kind = constraintKind(rule.id);
  const rego = lowerRego(rule);
  const params = Object.entries(rule.params);
  const metadata = {
    name: kind.toLowerCase(),
    annotations: {
      "metadata.gatekeeper.sh/title": rule.title,
      description: rule.description,
      "policypack/severity": rule.severity,
      "policypack/category": rule.category,
    },
  };
  const validation =
    params.length > 0
      ? { openAPIV3Schema: { type: "object", properties: Object.fromEntries(params.map(([name, spec]) => [name, parameterSchema(spec)])) } }
      : undefined;
  const code = [celCode(rule), { engine: "Rego", source: { version: "v1", rego: rego.module, libs: rego.libs } }];
  const content = renderTemplate("gatekeeper/constraint-template.yaml.hbs", {
    metadata: yamlBlock(metadata, 2),
    names: yamlBlock({ kind }, 8),
    validation: validation ? yamlBlock(validation, 8) : "",
    code: yamlBlock(code, 8),
  });
  const [template] = parseGenerated(content, path);
  validateTemplate(template, path);
  return { path, content };
}

function constraintFile(enabled: EnabledRule, config: Config): OutputFile {
  const { rule } = enabled;
  const path = `gatekeeper/constraints/${rule.id}.yaml`;
  const spec = {
    enforcementAction: ENFORCEMENT_ACTIONS[enabled.enforcement],
    match: {
      kinds: matchKinds(rule.match.type === "workloads" ? rule.match.workloads : rule.match.kinds),
      ...(config.excludedNamespaces.length > 0 ? { excludedNamespaces: config.excludedNamespaces } : {}),
    },
    ...(Object.keys(rule.params).length > 0 ? { parameters: enabled.params } : {}),
  };
  const content = renderTemplate("gatekeeper/constraint.yaml.hbs", {
    kind: yamlBlock(constraintKind(rule.id), 0),
    metadata: yamlBlock({ name: rule.id }, 2),
    spec: yamlBlock(spec, 2),
  });
  const [constraint] = parseGenerated(content, path);
  validateConstraint(constraint, path);
  return { path, content };
}

export const gatekeeper: Generator = {
  name: "gatekeeper",
  generate(rules, config) {
    const templates = rules.map((enabled) => templateFile(enabled.rule));
    const constraints = rules.map((enabled) => constraintFile(enabled, config));
    return [
      ...templates,
      kustomization("gatekeeper/templates", templates),
      ...constraints,
      kustomization("gatekeeper/constraints", constraints),
    ];
  },
};
