// The shape every Terraform input is read into before it is mapped to Kubernetes objects: HCL
// blocks and object values, JSON objects (.tf.json, plan and state values) all become `object`
// nodes whose entries keep their order, their repetitions (a repeated HCL block) and where they
// are written. What Terraform knows only at apply time is an `unknown` node.

import type { SourcePosition } from "../scan/types.ts";

export type TfNode =
  | { type: "object"; at: SourcePosition; entries: TfEntry[] }
  | { type: "list"; at: SourcePosition; items: TfNode[] }
  | { type: "scalar"; at: SourcePosition; value: string | number | boolean | null }
  | { type: "unknown"; at: SourcePosition; reason: string };

export interface TfEntry {
  name: string;
  /** Where the attribute or block is written (its name). */
  at: SourcePosition;
  node: TfNode;
}

/** One `resource "type" "name"` found in a file, before mapping. */
export interface TfResource {
  type: string;
  name: string;
  /** The address reports show: `kubernetes_pod_v1.web`, `module.app.kubernetes_pod_v1.web[0]` for plan instances. */
  address: string;
  at: SourcePosition;
  body: TfNode & { type: "object" };
  /** What the reader already knows to tell (count/for_each checked once, ...), each as `file:line:col: text`. */
  notes: string[];
}
