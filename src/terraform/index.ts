// Terraform input for the scan: the Kubernetes objects that the hashicorp/kubernetes provider's
// resources create, read from configuration (.tf, .tf.json) or from `terraform show -json` output
// (plans and states), each able to say where its fields are written and which of them Terraform
// knows only at apply time.

import { STDIN } from "../scan/choices.ts";
import { type FieldPath, ManifestError, positioned, type ScanObject } from "../scan/types.ts";
import { mapManifest, mapResource } from "./convert.ts";
import { readHclResources } from "./hcl.ts";
import { isShowJson, readShowJsonResources, readTfJsonResources } from "./json.ts";
import type { ResourceMapping } from "./schema.ts";
import { POLICY_RESOURCES } from "./schema-policy.ts";
import { WORKLOAD_RESOURCES } from "./schema-workloads.ts";
import type { TfResource } from "./tree.ts";

/** `tf`: native syntax; `tf.json`: configuration in JSON syntax; `show-json`: a plan or state from `terraform show -json`. */
export type TerraformInputKind = "tf" | "tf.json" | "show-json";

export interface TerraformScan {
  objects: ScanObject[];
  /** Problems with the file itself (syntax, an unknown format version): the scan reports them and goes on with other files. */
  errors: ManifestError[];
  /**
   * For --verbose, in the order of the resources, as `file:line:col: text`: resources not checked
   * and why (an unknown kubernetes_* type, a manifest known only at apply time), resources with
   * count or for_each, values known only at apply time.
   */
  notes: string[];
}

/** The resource types mapped, with the object each creates. */
export const RESOURCE_MAPPINGS: Readonly<Record<string, ResourceMapping>> = { ...WORKLOAD_RESOURCES, ...POLICY_RESOURCES };

/**
 * Which Terraform input a file is, by its name and, for .json files and standard input, its
 * content; undefined for any other file (a Kubernetes manifest).
 */
export function terraformInputKind(file: string, text: string): TerraformInputKind | undefined {
  if (file.endsWith(".tf")) return "tf";
  if (file.endsWith(".tf.json")) return "tf.json";
  // Only a document that names a format_version can be show-json: JSON manifests are not parsed twice.
  if (!(file.endsWith(".json") || file === STDIN) || !text.includes('"format_version"')) return undefined;
  try {
    return isShowJson(JSON.parse(text)) ? "show-json" : undefined;
  } catch {
    return undefined;
  }
}

/** The Kubernetes objects the file's kubernetes_* resources create. */
export function terraformScanObjects(text: string, file: string, kind: TerraformInputKind): TerraformScan {
  let resources: TfResource[];
  try {
    resources = kind === "tf" ? readHclResources(text, file) : kind === "tf.json" ? readTfJsonResources(text, file) : readShowJsonResources(text, file);
  } catch (error) {
    if (error instanceof ManifestError) return { objects: [], errors: [error], notes: [] };
    throw error;
  }
  const scan: TerraformScan = { objects: [], errors: [], notes: [] };
  for (const resource of resources) {
    if (!resource.type.startsWith("kubernetes_")) continue;
    const mapping = RESOURCE_MAPPINGS[resource.type];
    const notes = [...resource.notes];
    const object = mapping ? mapResource(resource, mapping, file, notes) : resource.type === "kubernetes_manifest" ? mapManifest(resource, file, notes) : undefined;
    if (object === undefined) {
      scan.notes.push(positioned(file, resource.at, `${resource.address}: ${resource.type} is not a resource type policypack maps to a Kubernetes object: not checked`));
    } else if (typeof object === "string") {
      scan.notes.push(positioned(file, resource.at, object));
    } else {
      scan.objects.push(object);
      scan.notes.push(...notes);
    }
  }
  return scan;
}

/**
 * Whether a finding at `path` rests on a value Terraform knows only at apply time: the path is an
 * unknown field, lies inside one, or is a parent of one (a check on a whole container may read the
 * unknown field). The scan drops such findings.
 */
export function restsOnUnknown(path: FieldPath, unknowns: readonly FieldPath[]): boolean {
  const startsWith = (long: FieldPath, short: FieldPath) => short.length <= long.length && short.every((segment, i) => long[i] === segment);
  return unknowns.some((unknown) => startsWith(path, unknown) || startsWith(unknown, path));
}
