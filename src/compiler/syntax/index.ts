// The Rego front end's syntax stage: source text → AST.
export { parseModule, type ParseOptions } from "./parser.ts";
