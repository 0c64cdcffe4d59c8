import {
  afterLast,
  and,
  containerExemptions,
  containers,
  defineRule,
  forEach,
  isIn,
  matches,
  msg,
  not,
  notExempt,
  when,
  workloads,
} from "../../src/model/index.ts";

// An image reference is pinned by digest (`@sha256:…`), or names a tag after the last `:` that
// follows the last `/` (a `:` before a `/` is a registry port, not a tag).
const DIGEST = "@sha256:";
const TAG = ":[^/:@]+$";

export default defineRule({
  id: "image-tag",
  title: "Images should name a tag other than latest",
  description:
    "An image without a tag, or with the tag latest, can change under a running workload: two replicas may run different code and a rollback may not restore what ran before.",
  severity: "medium",
  category: "Reliability",
  profiles: ["best-practice"],
  match: workloads,
  params: {
    tags: {
      type: "string[]",
      description:
        "Tags an image must not name unless it is pinned by digest (gatekeeper-library disallowedtags' tags), compared exactly with the text after the image's last `:`.",
      default: ["latest"],
    },
    ...containerExemptions,
  },
  references: {
    polaris: "tagNotSpecified",
    gatekeeper: "general/disallowedtags",
    kyverno: "disallow-latest-tag",
  },
  remediation: "Name an immutable version tag (e.g. nginx:1.27.2) or pin the image by digest.",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) =>
      when(
        and(notExempt(container, params), not(matches(container.image, DIGEST)), not(matches(container.image, TAG))),
        msg`Container ${container.name} uses image ${container.image} without a tag`,
      ),
    ),
    forEach(containers(pod), (container) => {
      const tag = afterLast(container.image, ":");
      return when(
        and(notExempt(container, params), not(matches(container.image, DIGEST)), matches(container.image, TAG), isIn(tag, params.tags)),
        msg`Container ${container.name} uses image ${container.image} with the mutable tag ${tag}`,
      );
    }),
  ],
});
