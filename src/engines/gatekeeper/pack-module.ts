// The pack (pack.ts) once compiled: its Wasm module with what running it needs (entrypoint, rule
// ids, each Constraint's parameters), plain data that a cache can keep, and the module loaded to
// evaluate objects. Nothing here compiles, so loading a kept module loads no compiler.

import type { FieldPath } from "../../model/fields.ts";
import type { ParamValues } from "../../model/index.ts";
import type { AdmissionRequest } from "../request.ts";
import { gatekeeperReview } from "./constraint.ts";
import { RenewedPolicy } from "./instance.ts";

export interface CompiledPack {
  wasm: Uint8Array;
  /** The entrypoint yielding every rule's violations. */
  entrypoint: string;
}

/** A compiled pack and what evaluating it needs, all of it JSON but the module's bytes. */
export interface PackModule extends CompiledPack {
  /** The rule ids in the pack, sorted. */
  ruleIds: string[];
  /** Each rule's Constraint parameters, by rule id. */
  parameters: Record<string, ParamValues>;
}

/** The data document under which the pack's Rego reads each rule's parameters. */
export const PARAMETERS_DOCUMENT = "policypack_params";

/**
 * The pack's data document, for the SDK's setData before the first evaluation: each rule's
 * Constraint parameters by rule id. A rule missing from it gets {}; without the document at all
 * (no setData), `object.get` of an undefined table is undefined and no rule yields violations.
 */
export function packData(parameters: Record<string, unknown>): Record<string, unknown> {
  return { [PARAMETERS_DOCUMENT]: parameters };
}

/** One violation as the pack reports it. */
export interface PackViolation {
  message: string;
  /** The offending field (the violation's `details.path`), when the template gives one. */
  path?: FieldPath;
}

/** The pack loaded and ready: compiled once, evaluated on many objects. */
export interface GatekeeperPack {
  /** The rule ids in the pack, sorted. */
  ruleIds: string[];
  /**
   * Every rule's violations for the request, by rule id (rules without violations left out),
   * each rule with its Constraint's parameters; `request.parameters` override them for
   * `parametersOf` only, when given (a fixture's parameters are its own rule's).
   */
  evaluate(request: AdmissionRequest, parametersOf?: string): Record<string, PackViolation[]>;
  /** The Wasm instance's memory now, in bytes: back at its baseline after an evaluation left it past MAX_INSTANCE_MEMORY_BYTES. */
  readonly memoryBytes: number;
}

/** Loads a compiled pack for evaluation; throws when `module.wasm` is not a valid module. */
export function loadPackModule({ wasm, entrypoint, ruleIds, parameters: constraintParameters }: PackModule): GatekeeperPack {
  const policy = new RenewedPolicy(wasm);
  // setData encodes every rule's parameters: done only when they change from one evaluation to
  // the next (a fixture's own), not on every object of a scan.
  let dataSet: string | undefined;
  const utf8 = new TextEncoder();
  return {
    ruleIds,
    get memoryBytes() {
      return policy.memoryBytes;
    },
    evaluate(request, parametersOf) {
      const overridden = parametersOf !== undefined && Object.keys(request.parameters).length > 0;
      const key = overridden ? JSON.stringify([parametersOf, request.parameters]) : "";
      if (key !== dataSet) {
        const parameters = overridden
          ? { ...constraintParameters, [parametersOf]: { ...constraintParameters[parametersOf], ...request.parameters } }
          : constraintParameters;
        policy.setData(packData(parameters));
        dataSet = key;
      }
      // Handed as JSON bytes: copied into the module's memory as they are, where an
      // object would be encoded by the SDK first.
      const input = utf8.encode(`{"review":${JSON.stringify(gatekeeperReview(request))}}`);
      const resultSet = policy.evaluate(input.buffer as ArrayBuffer, entrypoint) as Array<{ result: Record<string, Array<[string, unknown]>> }>;
      const byRule: Record<string, PackViolation[]> = {};
      for (const { result } of resultSet) {
        for (const [ruleId, found] of Object.entries(result)) byRule[ruleId] = found.map(([message, path]) => (isFieldPath(path) ? { message, path } : { message }));
      }
      return byRule;
    },
  };
}

/** A path as a template may give it: keys and array indices (a foreign template's details may hold anything). */
function isFieldPath(value: unknown): value is FieldPath {
  return Array.isArray(value) && value.every((key) => typeof key === "string" || (Number.isInteger(key) && key >= 0));
}
