// The engines' names, apart from the engines themselves, so that a command can offer them without
// loading any engine.
export const ENGINE_NAMES = ["reference", "gatekeeper-rego", "gatekeeper-cel", "kyverno", "kyverno-clusterpolicy", "vap"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
