import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/runtime.ts", "test/setup/temp.ts"],
    testTimeout: 60_000,
    // Removing a test's temporary tree (an installed package) can take more than the default 10 s on a loaded machine.
    hookTimeout: 60_000,
    pool: "threads",
  },
});
