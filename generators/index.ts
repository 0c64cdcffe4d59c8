// Every generator the build runs. Each writes under out/<name>/; the test suites run the
// policy generators' output, so they are handed those generators.

import { gatekeeper } from "./gatekeeper.ts";
import { kyverno } from "./kyverno.ts";
import { kyvernoClusterPolicy } from "./kyverno-clusterpolicy.ts";
import { testSuites } from "./test-suites.ts";
import type { Generator } from "./types.ts";
import { vap } from "./vap.ts";

/** The generators of the policies themselves: what the engines read (`policypack test` needs no test suites). */
export const POLICY_GENERATORS: readonly Generator[] = [gatekeeper, kyverno, kyvernoClusterPolicy, vap];

export const GENERATORS: readonly Generator[] = [...POLICY_GENERATORS, testSuites({ gatekeeper, kyverno, kyvernoClusterPolicy })];
