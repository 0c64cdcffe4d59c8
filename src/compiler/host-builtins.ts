// The built-ins a compiled policy calls on its host that @open-policy-agent/opa-wasm does not
// implement itself: every loadPolicy in policypack passes these as its custom built-ins.
//
// time.now_ns: OPA's Wasm modules take the time from the host too (OPA's Go SDK answers with a
// time fixed per evaluation); the module keeps the first answer of each evaluation, so here it is
// simply the current time.

/** Nanoseconds since the Unix epoch, to microsecond resolution. */
function nowNs(): ArrayBuffer {
  const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
  // As JSON text: the SDK parses an ArrayBuffer as it is, where a JavaScript number above 2^53
  // would lose digits.
  return new TextEncoder().encode(ns.toString()).slice().buffer;
}

/** loadPolicy's customBuiltins. */
export const HOST_BUILTINS: Readonly<Record<string, () => unknown>> = { "time.now_ns": nowNs };
