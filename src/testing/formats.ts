// The report formats of `policypack test`, apart from the reporters, so that registering the
// command loads none of them.
export const TEST_FORMATS = ["text", "json", "junit"] as const;
export type TestFormat = (typeof TEST_FORMATS)[number];
