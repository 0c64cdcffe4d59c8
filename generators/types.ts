// The contract between the build and each generator.

import type { Config, EnabledRule } from "../src/config/types.ts";

export interface OutputFile {
  /** Relative to the output folder, with forward slashes: `gatekeeper/templates/host-ipc.yaml`. */
  path: string;
  content: string;
}

export interface Generator {
  /** The output folder's name under out/. */
  name: string;
  generate(rules: EnabledRule[], config: Config): OutputFile[];
}
