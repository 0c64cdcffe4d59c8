// The checks and parameters of the resource rules (cpu-limits, memory-requests,
// ephemeral-storage-limits, ...), as gatekeeper-library's containerlimits, containerrequests and
// ephemeralstoragelimit have them: every container sets the resource; with a maximum, to a
// quantity no larger than it ("-1": no maximum); exempt images and containers are not checked.

import type { Container } from "kubernetes-types/core/v1.js";
import type { Check, Condition, Value } from "./expr.ts";
import { type Param, type PodView, absent, and, equals, forEach, items, msg, not, notEquals, or } from "./dsl.ts";
import { notExempt } from "./exemptions.ts";
import type { Path } from "./path.ts";
import type { ParamSpec } from "./rule.ts";
import { isQuantity, quantityAbove } from "./quantity.ts";

/** The value of a maximum parameter that sets no maximum, as in gatekeeper-library. */
export const NO_MAXIMUM = "-1";

/** A maximum quantity parameter of a resource rule, "-1" (no maximum) by default. */
export function maximumParam(description: string): ParamSpec<"string"> {
  return {
    type: "string",
    format: "quantity",
    description: `${description} A Kubernetes quantity (e.g. 500m, 2, 512Mi, 1Gi), compared by value; ${NO_MAXIMUM} (the default) sets no maximum. A container setting more, or setting a value that is no quantity, is reported.`,
    default: NO_MAXIMUM,
  };
}

/** Whether init containers are checked too, for the resource rules that leave them out by default. */
export const checkInitContainers = {
  type: "boolean",
  description: "Check init containers too (gatekeeper-library checks them); by default only the pod's containers are.",
  default: false,
} satisfies ParamSpec<"boolean">;

export interface ResourceRule {
  field: "limits" | "requests";
  resource: "cpu" | "memory" | "ephemeral-storage";
  params: { exemptImages: Param<string[]>; exemptContainers: Param<string[]> };
  maximum: Param<string>;
  /** Init containers are checked when this parameter is true; always when it is not given. */
  initContainers?: Param<boolean>;
}

/** The checks of a resource rule: for containers, then init containers, the resource is set, a quantity, at most the maximum. */
export function resourceChecks(pod: PodView, rule: ResourceRule): Check[] {
  const setting: Value = { op: "literal", value: `resources.${rule.field}.${rule.resource}` };
  const lists: Array<{ label: string; list: Path<Container[] | undefined>; when: Condition[] }> = [
    { label: "Container", list: pod.spec.containers, when: [] },
    { label: "Init container", list: pod.spec.initContainers, when: rule.initContainers ? [equals(rule.initContainers, true)] : [] },
  ];
  const value = (container: Path<Container>) => container.resources[rule.field][rule.resource];
  const limited = notEquals(rule.maximum, NO_MAXIMUM);
  const check = (make: (label: Value, container: Path<Container>) => Check) =>
    lists.map(({ label, list, when }) =>
      forEach(items(list, "container"), (container) => {
        const made = make({ op: "literal", value: label }, container);
        return { ...made, when: and(...when, notExempt(container, rule.params), made.when) };
      }),
    );
  return [
    ...check((label, container) => ({
      when: or(absent(value(container)), equals(value(container), "")),
      message: msg`${label} ${container.name} does not set ${setting}`,
    })),
    ...check((label, container) => ({
      when: and(limited, notEquals(value(container), ""), not(isQuantity(value(container)))),
      message: msg`${label} ${container.name} sets ${setting} to ${value(container)}, which is not a Kubernetes quantity`,
    })),
    ...check((label, container) => ({
      when: and(limited, quantityAbove(value(container), rule.maximum)),
      message: msg`${label} ${container.name} sets ${setting} to ${value(container)}, above the maximum of ${rule.maximum}`,
    })),
  ];
}
