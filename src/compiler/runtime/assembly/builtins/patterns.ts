// regex.match and glob.match; the engines are in lib/.

import { T_NULL, T_ARRAY, tagOf, boolValue, strLen, strPtr, arrLen, arrGet } from "../value";
import { toAS, isString } from "./helpers";
import { RegexCompileResult } from "../lib/regex/program";
import { regexCompile, regexPrecompile } from "../lib/regex";
import { globMatch } from "../lib/glob";

// ---- patterns (engines in lib/) ----

/**
 * The policy's constant patterns by the address of their string value: static data, which no
 * evaluation reuses, so the address names the text and a lookup needs no decoding or string
 * hashing. Filled at instantiation, below the heap the host resets; a constant initialiser, so the
 * per-evaluation re-run of the module's initialisers leaves it alone.
 */
let precompiledByValue: Map<usize, RegexCompileResult> | null = null;

export function b_regex_match(pattern: usize, value: usize): usize {
  if (!isString(pattern) || !isString(value)) return 0;
  let byValue = precompiledByValue;
  let compiled = byValue !== null && byValue.has(pattern) ? byValue.get(pattern) : regexCompile(toAS(pattern));
  let regex = compiled.regex;
  if (regex === null) return 0;
  let ascii = regex.matchesAscii(strPtr(value), strLen(value));
  return boolValue(ascii >= 0 ? ascii == 1 : regex.matches(toAS(value)));
}

/** At instantiation: compiles a constant pattern of the policy for every evaluation. */
export function rt_regex_precompile(pattern: usize): void {
  if (!isString(pattern)) return;
  if (precompiledByValue === null) precompiledByValue = new Map<usize, RegexCompileResult>();
  precompiledByValue!.set(pattern, regexPrecompile(toAS(pattern)));
}

export function b_glob_match(pattern: usize, delimiters: usize, match: usize): usize {
  if (!isString(pattern) || !isString(match)) return 0;
  let t = tagOf(delimiters);
  let delims: Array<string> | null = null;
  if (t == T_ARRAY) {
    let n = arrLen(delimiters);
    let list = new Array<string>();
    for (let i: u32 = 0; i < n; i++) {
      let d = arrGet(delimiters, i);
      if (!isString(d)) return 0;
      list.push(toAS(d));
    }
    delims = list;
  } else if (t != T_NULL) {
    return 0;
  }
  let r = globMatch(toAS(pattern), delims, toAS(match));
  return r.error.length == 0 ? boolValue(r.matched) : 0;
}
