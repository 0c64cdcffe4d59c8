// print's runtime half, and trace.

import { T_ARRAY, T_SET, T_STRING, TRUE_VALUE, tagOf, boolValue, arrLen, arrGet, collLen } from "../value";
import { sortCollection } from "../order";
import { printLine } from "../dump";

// ---- print ----

// The host prints the NUL-terminated text at `text` (the SDK does console.log).
@external("env", "opa_println")
declare function opa_println(text: usize): void;

/**
 * print's runtime half: the planner passes one set per argument holding the argument's values
 * (empty when undefined). Prints one line per combination of values and always holds.
 */
export function b_internal_print(args: usize): usize {
  if (tagOf(args) != T_ARRAY) return 0;
  let n = arrLen(args);
  for (let i: u32 = 0; i < n; i++) {
    let set = arrGet(args, i);
    if (tagOf(set) != T_SET) return 0;
    sortCollection(set);
  }
  let picks = new StaticArray<u32>(n);
  let more = true;
  while (more) {
    opa_println(printLine(args, picks));
    // the next combination, the last argument varying fastest
    more = false;
    for (let i = <i32>n - 1; i >= 0 && !more; i--) {
      if (picks[i] + 1 < collLen(arrGet(args, i))) {
        picks[i]++;
        more = true;
      } else {
        picks[i] = 0;
      }
    }
  }
  return boolValue(true);
}

// ---- trace ----

/**
 * trace(note): OPA adds the note to its evaluation trace, which a Wasm module does not keep (as
 * in OPA's own modules); it holds for a string note and is undefined for anything else.
 */
export function b_trace(note: usize): usize {
  return tagOf(note) == T_STRING ? TRUE_VALUE : 0;
}
