// Every generator the build runs. Each writes under out/<name>/.

import { gatekeeper } from "./gatekeeper.ts";
import { kyverno } from "./kyverno.ts";
import { kyvernoClusterPolicy } from "./kyverno-clusterpolicy.ts";
import type { Generator } from "./types.ts";
import { vap } from "./vap.ts";

export const GENERATORS: readonly Generator[] = [gatekeeper, kyverno, kyvernoClusterPolicy, vap];
