// The colour variables (NO_COLOR, FORCE_COLOR) cleared for every test of a file, so that reports
// compare equal whatever the environment running the tests sets (CI often sets FORCE_COLOR).

import { afterEach, beforeEach, vi } from "vitest";

export function clearColorEnv(): void {
  beforeEach(() => {
    vi.stubEnv("NO_COLOR", "");
    vi.stubEnv("FORCE_COLOR", "");
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}
