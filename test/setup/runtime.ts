// The Rego compiler links every policy into the prebuilt Wasm runtime; build it once before any
// test file runs if `npm run build` has not (or a runtime source changed since).
import { ensureRuntime } from "../../src/compiler/runtime/build.ts";

export default async function setup(): Promise<void> {
  await ensureRuntime();
}
