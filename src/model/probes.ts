// What the probe rules (liveness-probe, readiness-probe, startup-probe) share: which probes
// satisfy a rule (one's own by default, any of the three as kyverno's require-probes has it), which
// handlers a probe must use (gatekeeper-library requiredprobes' probeTypes), and the containers
// they check.

import {
  type Check,
  type Entry,
  type Param,
  type ParamSpec,
  type Path,
  type PodView,
  and,
  any,
  equals,
  fields,
  filtered,
  forEach,
  isIn,
  items,
  msg,
  not,
  paramItems,
  present,
  when,
} from "./index.ts";

export type ProbeField = "livenessProbe" | "readinessProbe" | "startupProbe";

export type ProbeParams = { acceptedProbes: ParamSpec<"string[]">; probeTypes: ParamSpec<"string[]"> };

/** The parameters of the rule requiring `probe`. */
export function probeParams(probe: ProbeField): ProbeParams {
  return {
    acceptedProbes: {
      type: "string[]",
      description: `The probes any one of which satisfies the rule: ${probe} by default; livenessProbe, readinessProbe and startupProbe together give kyverno's require-probes (any one of the three).`,
      default: [probe],
    },
    probeTypes: {
      type: "string[]",
      description:
        "The handlers (exec, grpc, httpGet, tcpSocket) a probe must use to count, as gatekeeper-library requiredprobes' probeTypes; empty (the default): any.",
      default: [],
    },
  };
}

/**
 * One violation per container (not init containers) of a pod that a Job does not own, when it has
 * none of the accepted probes, or none using one of the probe types when those are set.
 */
export function probeChecks(pod: PodView, params: { acceptedProbes: Param<string[]>; probeTypes: Param<string[]> }): Check[] {
  // A Pod a Job created runs to completion like its Job.
  const longRunning = not(any(items(pod.metadata.ownerReferences, "owner"), (owner) => equals(owner.kind, "Job")));
  const accepted = (field: Entry<unknown>) => and(isIn(field.key, params.acceptedProbes), present(field.value));
  const usesProbeType = (field: Entry<unknown>) =>
    any(fields(field.value as Path<object | undefined>, "handler"), (handler) => and(isIn(handler.key, params.probeTypes), present(handler.value)));
  const probeNames = filtered(paramItems(params.acceptedProbes, "probe"), (probe) => present(probe));
  return [
    forEach(items(pod.spec.containers, "container"), (container) =>
      when(and(longRunning, not(any(fields(container, "field"), accepted))), msg`Container ${container.name} has no ${probeNames}`),
    ),
    forEach(items(pod.spec.containers, "container"), (container) =>
      when(
        and(
          longRunning,
          any(paramItems(params.probeTypes, "type"), (type) => present(type)),
          any(fields(container, "field"), accepted),
          not(any(fields(container, "field"), (field) => and(accepted(field), usesProbeType(field)))),
        ),
        msg`Container ${container.name} has no ${probeNames} of the probe types ${filtered(paramItems(params.probeTypes, "type"), (type) => present(type))}`,
      ),
    ),
  ];
}
