// Parts of strings in the rule model: the text after the last separator, e.g. an image's tag.

import type { Value } from "./expr.ts";
import { type Operand, toValue } from "./dsl.ts";

/** The text after the last `separator` (one character) in the string `value`, all of it when there is none; missing when `value` is no string. */
export interface AfterLastValue {
  readonly op: "afterLast";
  readonly value: Value;
  readonly separator: string;
  readonly __type?: string;
}

export function afterLast(value: Operand<string | undefined>, separator: string): AfterLastValue {
  return { op: "afterLast", value: toValue(value), separator };
}

/** The text after the last `separator` in `text` (all of it when there is none). */
export function textAfterLast(text: string, separator: string): string {
  return text.slice(text.lastIndexOf(separator) + separator.length);
}
