// Regular expressions with RE2 syntax (Go's regexp, which OPA's regex.match
// uses), matched on code points by a Thompson NFA simulation: time is linear in
// the input for a given pattern, whatever the pattern, with no backtracking.
// Only "is there a match" is computed, so greedy and lazy quantifiers (which
// choose between matches, never whether one exists) compile the same way.
//
// The pattern is parsed (regex/parser.ts) into a syntax tree (regex/syntax.ts), compiled into a
// matcher (regex/program.ts); this file compiles patterns on demand and caches them.

import { Parser } from "./regex/parser";
import { RegexCompileResult, compileNode } from "./regex/program";

function compileUncached(pattern: string): RegexCompileResult {
  const p = new Parser(pattern);
  const root = p.parseAlternation();
  if (root === null) return new RegexCompileResult(null, p.error);
  if (!p.atEnd()) {
    // Only an unmatched ')' stops the top-level alternation early.
    return new RegexCompileResult(null, "error parsing regexp: unexpected ): `" + pattern + "`");
  }
  return compileNode(root, pattern);
}

/** Patterns are compiled once per evaluation and reused; the cache is bounded. */
const CACHE_LIMIT = 128;
const cache = new Map<string, RegexCompileResult>();

/**
 * The policy's constant patterns, compiled when the module is instantiated: that memory lies below
 * the heap the host resets, so they serve every evaluation. A Regex keeps its match state in
 * buffers sized when it is compiled, so matching with a shared one allocates nothing in it. The
 * initialiser is a constant, so the per-evaluation re-run of the module's initialisers (which
 * empties `cache`) leaves this alone.
 */
let precompiled: Map<string, RegexCompileResult> | null = null;

/** Compiles `pattern` for every evaluation; call at instantiation only (see `precompiled`). */
export function regexPrecompile(pattern: string): RegexCompileResult {
  if (precompiled === null) precompiled = new Map<string, RegexCompileResult>();
  const result = compileUncached(pattern);
  if (result.regex !== null) result.regex!.buildDfa();
  precompiled!.set(pattern, result);
  return result;
}

/**
 * Compiles an RE2 pattern, caching by pattern text. On a bad pattern `regex`
 * is null and `error` holds Go's message ("error parsing regexp: ...").
 */
export function regexCompile(pattern: string): RegexCompileResult {
  const shared = precompiled;
  if (shared !== null && shared.has(pattern)) return shared.get(pattern);
  if (cache.has(pattern)) return cache.get(pattern);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const result = compileUncached(pattern);
  cache.set(pattern, result);
  return result;
}

