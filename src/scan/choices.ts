// What the scan command offers on its command line, kept apart from the modules that implement it
// so that registering the command (and `policypack --help`) loads none of them.

/** pack: the generated Gatekeeper Rego as one Wasm module; reference: the reference evaluator. */
export const ENGINES = ["pack", "reference"] as const;
export type EngineName = (typeof ENGINES)[number];

export const REPORT_FORMATS = ["text", "json", "sarif", "junit", "policyreport", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file name under which standard input is reported. */
export const STDIN = "-";
