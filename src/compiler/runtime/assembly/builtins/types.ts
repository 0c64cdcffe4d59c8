// Type tests (is_*) and type_name.

import { T_NULL, T_BOOL, T_STRING, T_ARRAY, T_OBJECT, T_SET, tagOf, boolValue, isNumber, allocString, strPtr } from "../value";

// ---- types ----

export function b_is_number(a: usize): usize {
  return boolValue(isNumber(a));
}

export function b_is_string(a: usize): usize {
  return boolValue(tagOf(a) == T_STRING);
}

export function b_is_boolean(a: usize): usize {
  return boolValue(tagOf(a) == T_BOOL);
}

export function b_is_array(a: usize): usize {
  return boolValue(tagOf(a) == T_ARRAY);
}

export function b_is_set(a: usize): usize {
  return boolValue(tagOf(a) == T_SET);
}

export function b_is_object(a: usize): usize {
  return boolValue(tagOf(a) == T_OBJECT);
}

export function b_is_null(a: usize): usize {
  return boolValue(tagOf(a) == T_NULL);
}

const TYPE_NAMES: StaticArray<string> = ["", "null", "boolean", "number", "number", "string", "array", "object", "set", "number"];

export function b_type_name(a: usize): usize {
  let name = unchecked(TYPE_NAMES[tagOf(a)]);
  let n = <u32>name.length;
  let r = allocString(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(strPtr(r) + i, <u8>name.charCodeAt(<i32>i));
  return r;
}
