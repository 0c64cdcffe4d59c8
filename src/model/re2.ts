// Regular expressions as RE2 reads them, the syntax and meaning shared by Go's regexp, Rego's
// regex.match and Kubernetes CEL's matches(): `\s`, `\d` and `\w` are ASCII, `(?i)` is a flag.
// The reference evaluator and the CEL test harness match with this, so that every engine answers
// alike (JavaScript's `\s` also matches U+00A0 and U+3000).

import { RE2JS } from "re2js";

const compiled = new Map<string, RE2JS>();

function compile(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

/** Whether `pattern` is a valid RE2 regular expression. */
export function isRe2(pattern: string): boolean {
  try {
    compile(pattern);
    return true;
  } catch {
    return false;
  }
}

/** True when the RE2 `pattern` finds a match anywhere in `subject` (unanchored, as matches() and regex.match). */
export function re2Find(pattern: string, subject: string): boolean {
  return compile(pattern).matcher(subject).find();
}
