import {
  and,
  any,
  containers,
  defineRule,
  containerExemptions,
  filtered,
  forEach,
  items,
  matches,
  msg,
  notEquals,
  notExempt,
  when,
  workloads,
} from "../../src/model/index.ts";
import type { EnvVar } from "kubernetes-types/core/v1.js";
import type { Path } from "../../src/model/index.ts";

// A secret-looking name with a literal value: the secret then lives in the manifest, in etcd
// unencrypted and in every copy of the object. A valueFrom reference is the safe form.
const SECRET_NAME = "(?i)(password|passwd|secret|token|api_?key|private_?key)";

export default defineRule({
  id: "secrets-in-env",
  title: "Secrets should not be written into container environment variables",
  description:
    "An environment variable whose name looks like a password, token or key and whose value is written in the manifest puts the secret in plain text into the object, its history and everyone who can read it.",
  severity: "high",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    urls: ["https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables"],
  },
  remediation: "Keep the value in a Secret and reference it with env[].valueFrom.secretKeyRef (or envFrom.secretRef).",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) => {
      const variables = items(container.env, "variable");
      const literalSecret = (variable: Path<EnvVar>) => and(matches(variable.name, SECRET_NAME), notEquals(variable.value, ""));
      return when(
        and(notExempt(container, params), any(variables, literalSecret)),
        msg`Container ${container.name} sets secret-looking environment variables from literal values: ${filtered(variables, literalSecret, (variable) => variable.name)}`,
      );
    }),
  ],
});
