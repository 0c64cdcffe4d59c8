// Names that mean the same in any letter case, such as Linux capability names (container runtimes
// upper-case them: `sys_admin` grants SYS_ADMIN). Only ASCII letters fold, as CEL's lowerAscii()
// folds them, so every engine agrees on any string.

import { type ListOperand, type Operand, type Param, and, equals, isIn, matchesPattern, notEquals, or, toValue } from "./dsl.ts";
import type { Condition } from "./expr.ts";

/** `matchesPattern` with ASCII letters compared regardless of case, in the value and in the patterns. */
export const matchesPatternIgnoringCase = (value: Operand<string | undefined>, patterns: ListOperand<string>): Condition => ({
  op: "matchesPattern",
  value: toValue(value),
  patterns: toValue(patterns),
  ignoreCase: true,
});

/** `text` with its ASCII capital letters made small, every other character kept. */
export const lowerAscii = (text: string): string => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

/** `isIn` with ASCII letters compared regardless of case: a string equal to a string of the list but for case. */
export const isInIgnoringCase = (value: Operand<string | undefined>, list: ListOperand<string>): Condition => ({
  op: "in",
  value: toValue(value),
  list: toValue(list),
  ignoreCase: true,
});

/** `matchesPattern`, regardless of ASCII case when the boolean parameter `ignoreCase` is true. */
export const matchesPatternCase = (ignoreCase: Param<boolean>, value: Operand<string | undefined>, patterns: ListOperand<string>): Condition =>
  or(
    and(equals(ignoreCase, true), matchesPatternIgnoringCase(value, patterns)),
    and(notEquals(ignoreCase, true), matchesPattern(value, patterns)),
  );

/** `isIn`, regardless of ASCII case when the boolean parameter `ignoreCase` is true. */
export const isInCase = (ignoreCase: Param<boolean>, value: Operand<string | undefined>, list: ListOperand<string>): Condition =>
  or(and(equals(ignoreCase, true), isInIgnoringCase(value, list)), and(notEquals(ignoreCase, true), isIn(value, list)));
