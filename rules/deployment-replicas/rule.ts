import type { Deployment } from "kubernetes-types/apps/v1.js";
import { absent, and, defineRule, greaterThan, kinds, lessThan, msg, when } from "../../src/model/index.ts";

export default defineRule({
  id: "deployment-replicas",
  title: "Deployments should run more than one replica",
  description:
    "A Deployment with a single replica is unavailable whenever its pod is evicted, rescheduled, or restarted by a rollout or a node drain. Without spec.replicas a Deployment runs one replica.",
  severity: "medium",
  category: "Reliability",
  profiles: ["best-practice"],
  match: kinds<Deployment>({ group: "apps", version: "v1", kind: "Deployment" }),
  params: {
    minReplicas: {
      type: "integer",
      description: "The fewest replicas a Deployment may run.",
      default: 2,
    },
  },
  references: {
    polaris: "deploymentMissingReplicas",
  },
  remediation:
    "Set spec.replicas to 2 or more (or let a HorizontalPodAutoscaler with minReplicas of 2 or more manage it), and spread the replicas over nodes.",
  checks: ({ object, params }) => [
    when(
      and(absent(object.spec.replicas), greaterThan(params.minReplicas, 1)),
      msg`Deployment ${object.metadata.name} does not set spec.replicas and so runs 1 replica, fewer than the required ${params.minReplicas}`,
    ),
    when(
      lessThan(object.spec.replicas, params.minReplicas),
      msg`Deployment ${object.metadata.name} sets spec.replicas to ${object.spec.replicas}, fewer than the required ${params.minReplicas}`,
    ),
  ],
});
