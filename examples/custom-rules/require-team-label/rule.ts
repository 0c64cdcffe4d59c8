// A custom rule: every Deployment must carry a label naming the team that owns it. The label's
// key is a parameter, so each cluster can use its own convention.
//
// Custom rules are laid out as the built-in ones: <ruleDir>/<rule-id>/rule.ts, whose default
// export is the rule, and its fixtures beside it in <ruleDir>/<rule-id>/fixtures/*.yaml.

import type { Deployment } from "kubernetes-types/apps/v1.js";
import { any, defineRule, entries, equals, kinds, msg, not, when } from "../../../src/model/index.ts";

export default defineRule({
  id: "require-team-label",
  title: "Deployments must name their owning team",
  description:
    "A Deployment without an owner label cannot be traced to the people who run it, which slows down incident response and cost attribution.",
  severity: "medium",
  category: "Governance",
  profiles: ["team-conventions"],
  match: kinds<Deployment>({ group: "apps", version: "v1", kind: "Deployment" }),
  params: {
    labelKey: {
      type: "string",
      description: "The label every Deployment must carry.",
      default: "team",
    },
  },
  references: {},
  remediation: "Add the owner label (by default `team`) to the Deployment's metadata.labels.",
  checks: ({ object, params }) => [
    when(
      not(any(entries(object.metadata.labels, "label"), (label) => equals(label.key, params.labelKey))),
      msg`Deployment ${object.metadata.name} has no ${params.labelKey} label`,
    ),
  ],
});
