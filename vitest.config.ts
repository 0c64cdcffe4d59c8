import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/runtime.ts", "test/setup/temp.ts"],
    testTimeout: 60_000,
    pool: "threads",
  },
});
