import { containers, defineRule, forEach, matchesPattern, msg, not, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "allowed-image-repos",
  title: "Images should come from allowed repositories",
  description:
    "Images pulled from arbitrary public registries may be unscanned, unmaintained or malicious. This rule admits only images that match the allowedRepos parameter; with its default (an empty list) it refuses every image, so it belongs to no profile and is enabled by naming it together with the allowed repositories.",
  severity: "high",
  category: "Security",
  profiles: [],
  match: workloads,
  params: {
    allowedRepos: {
      type: "string[]",
      description:
        "Allowed images: an exact image reference, or a prefix ending in * (e.g. registry.example.com/team/*). A prefix without * matches only itself.",
      default: [],
    },
  },
  references: {
    gatekeeper: "general/allowedrepos",
    kyverno: "restrict-image-registries",
  },
  remediation:
    "Pull the image from an allowed registry (mirror it there if needed), or add its repository to the rule's allowedRepos parameter.",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) =>
      when(
        not(matchesPattern(container.image, params.allowedRepos)),
        msg`Container ${container.name} uses image ${container.image}, which is not from an allowed repository`,
      ),
    ),
  ],
});
