// The runtime's entry file: OPA's Wasm ABI (version 1.2) and the operations compiled policy code
// calls. The emitter (src/compiler/wasm/) links policy functions into this module, fills in the
// entrypoint dispatch (rt_policy_eval), and keeps only the ABI's exports: those starting with
// `rt_` or `b_` are for the emitter only.

import {
  T_STRING, T_ARRAY, T_OBJECT, T_SET,
  tagOf, makeInt, makeArray, makeObject, makeSet, arrLen, arrGet, arrAppend, collLen, entryKey,
  entryValue, objectGet, objectInsert, objectInsertOnce, setAdd, setContains, asInteger, intResult, strCount, objectCopy, makeString, objectField,
} from "./value";
import { sortCollection, valueEqual } from "./order";
import { parseJSON, parseError, parseErrorOffset } from "./json";
import { dumpValue } from "./dump";
import { abortWith } from "./abort";
// Native built-in functions, by family. Each `b_<name>` (dots in the Rego name become
// underscores) takes value pointers and returns a value pointer, or 0 when the result is undefined
// — which is also how type errors end up, as in OPA when strict built-in errors are off.
export * from "./builtins/numbers";
export * from "./builtins/collections";
export * from "./builtins/strings";
export * from "./builtins/patterns";
export * from "./builtins/types";
export * from "./builtins/print";
export * from "./builtins/sprintf";
export * from "./builtins/substrings";
export * from "./builtins/encoding";
export * from "./builtins/time";

// ---- ABI: memory ----

export function opa_malloc(size: usize): usize {
  return __bump(size);
}

export function opa_free(ptr: usize): void {}

export function opa_heap_ptr_get(): usize {
  return __heap_ptr_get();
}

export function opa_heap_ptr_set(ptr: usize): void {
  __heap_ptr_set(ptr);
}

// ---- ABI: values ----

export function opa_json_parse(ptr: usize, len: usize): usize {
  return parseJSON(ptr, len, false);
}

export function opa_value_parse(ptr: usize, len: usize): usize {
  return parseJSON(ptr, len, true);
}

export function opa_json_dump(v: usize): usize {
  return dumpValue(v, false);
}

export function opa_value_dump(v: usize): usize {
  return dumpValue(v, true);
}

const OPA_ERR_OK: i32 = 0;
const OPA_ERR_INVALID_TYPE: i32 = 2;
const OPA_ERR_INVALID_PATH: i32 = 3;

/** Sets base[path...] = value, creating objects along the path. */
export function opa_value_add_path(base: usize, path: usize, value: usize): i32 {
  if (base == 0 || tagOf(base) != T_OBJECT || path == 0 || tagOf(path) != T_ARRAY) return OPA_ERR_INVALID_TYPE;
  let n = arrLen(path);
  if (n == 0) return OPA_ERR_INVALID_PATH;
  let node = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    let key = arrGet(path, i);
    let next = objectGet(node, key);
    if (next == 0) {
      next = makeObject();
      objectInsert(node, key, next);
    } else if (tagOf(next) != T_OBJECT) {
      return OPA_ERR_INVALID_PATH;
    }
    node = next;
  }
  objectInsert(node, arrGet(path, n - 1), value);
  return OPA_ERR_OK;
}

/** Removes base[path...]; removing something absent is not an error. */
export function opa_value_remove_path(base: usize, path: usize): i32 {
  if (base == 0 || tagOf(base) != T_OBJECT || path == 0 || tagOf(path) != T_ARRAY) return OPA_ERR_INVALID_TYPE;
  let n = arrLen(path);
  if (n == 0) return OPA_ERR_INVALID_PATH;
  let node = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    node = objectGet(node, arrGet(path, i));
    if (node == 0) return OPA_ERR_OK;
    if (tagOf(node) != T_OBJECT) return OPA_ERR_INVALID_PATH;
  }
  removeKey(node, arrGet(path, n - 1));
  return OPA_ERR_OK;
}

function removeKey(obj: usize, key: usize): void {
  // Rebuild the object without the key; entries are small and this is a data-loading path.
  let copy = makeObject();
  let n = collLen(obj);
  for (let i: u32 = 0; i < n; i++) {
    let k = entryKey(obj, i);
    if (!valueEqual(k, key)) objectInsert(copy, k, entryValue(obj, i));
  }
  memory.copy(obj, copy, 24);
}

// ---- ABI: evaluation ----

// Stands for the compiled policy's entrypoint dispatch. The build script turns this import into
// a function exported as rt_policy_eval, whose body the emitter replaces.
// @ts-ignore: decorator
@external("policy", "eval")
declare function policyEval(entrypoint: i32, input: usize, data: usize): void;

/** The result set of the evaluation in progress (a set of {"result": value} objects). */
let results: usize = 0;
const RESULT_KEY = memory.data<u8>([0x72, 0x65, 0x73, 0x75, 0x6c, 0x74]); // "result"

// Evaluation context: [0] entrypoint, [4] data, [8] input, [12] result set.
export function opa_eval_ctx_new(): usize {
  let ctx = __bump(16);
  memory.fill(ctx, 0, 16);
  return ctx;
}

export function opa_eval_ctx_set_input(ctx: usize, input: usize): void {
  store<u32>(ctx, <u32>input, 8);
}

export function opa_eval_ctx_set_data(ctx: usize, data: usize): void {
  store<u32>(ctx, <u32>data, 4);
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, entrypoint: i32): void {
  store<i32>(ctx, entrypoint);
}

export function opa_eval_ctx_get_result(ctx: usize): usize {
  return <usize>load<u32>(ctx, 12);
}

export function eval(ctx: usize): i32 {
  results = makeSet();
  store<u32>(ctx, <u32>results, 12);
  policyEval(load<i32>(ctx), <usize>load<u32>(ctx, 8), <usize>load<u32>(ctx, 4));
  return 0;
}

/** ABI 1.2 one-call evaluation; format 0 is JSON, 1 is Rego value text. */
export function opa_eval(
  reserved: usize, entrypoint: i32, data: usize, input: usize, inputLen: usize, heapPtr: usize, format: i32,
): usize {
  __heap_ptr_set(heapPtr);
  let inputValue: usize = 0;
  if (inputLen > 0) {
    inputValue = parseJSON(input, inputLen, false);
    if (inputValue == 0) {
      abortWith("opa_eval: malformed input JSON at byte " + parseErrorOffset.toString() + ": " + parseError);
    }
  }
  results = makeSet();
  policyEval(entrypoint, inputValue, data);
  return dumpValue(results, format == 1);
}

// ---- operations used by compiled policies (rt_*) ----

/** Called once at instantiation with the end of the policy's static data. */
export function rt_init(heapStart: usize): void {
  __heap_init(heapStart);
}

export function rt_abort(message: usize): void {
  abortRaw(message);
}

// @ts-ignore: decorator
@external("env", "opa_abort")
declare function abortRaw(addr: usize): void;

export function rt_result_add(value: usize): void {
  let row = makeObject();
  objectInsert(row, makeString(RESULT_KEY, 6), value);
  setAdd(results, row);
}

export function rt_make_array(capacity: u32): usize {
  return makeArray(capacity);
}

export function rt_make_object(): usize {
  return makeObject();
}

export function rt_make_set(): usize {
  return makeSet();
}

export function rt_array_append(arr: usize, value: usize): void {
  arrAppend(arr, value);
}

export function rt_object_insert(obj: usize, key: usize, value: usize): void {
  objectInsert(obj, key, value);
}

export function rt_object_insert_once(obj: usize, key: usize, value: usize): i32 {
  return objectInsertOnce(obj, key, value) ? 1 : 0;
}

export function rt_set_add(set: usize, value: usize): void {
  setAdd(set, value);
}

export function rt_equal(a: usize, b: usize): i32 {
  return valueEqual(a, b) ? 1 : 0;
}

/** source[key], or 0 when source is not a collection or has no such key / element. */
export function rt_dot(source: usize, key: usize): usize {
  let t = tagOf(source);
  if (t == T_OBJECT) return objectField(source, key);
  if (t == T_ARRAY) {
    if (!asInteger(key)) return 0;
    let i = intResult;
    if (i < 0 || i >= <i64>arrLen(source)) return 0;
    return arrGet(source, <u32>i);
  }
  if (t == T_SET) return setContains(source, key) ? key : 0;
  return 0;
}

/** count(source) for strings and collections, else 0 (undefined). */
export function rt_len(source: usize): usize {
  let t = tagOf(source);
  if (t == T_STRING) return makeInt(strCount(source));
  if (t == T_ARRAY) return makeInt(arrLen(source));
  if (t == T_OBJECT || t == T_SET) return makeInt(collLen(source));
  return 0;
}

/** Number of iterations a Scan makes over source; sorts objects and sets first. */
export function rt_iter_len(source: usize): u32 {
  let t = tagOf(source);
  if (t == T_ARRAY) return arrLen(source);
  if (t == T_OBJECT || t == T_SET) {
    sortCollection(source);
    return collLen(source);
  }
  return 0;
}

/** Index i of an array as a value (a Scan's key; the emitter reads elements and entries itself). */
export function rt_array_index(i: u32): usize {
  return makeInt(i);
}

/** Deep merge of objects a and b; a's values win where both have a non-object value. */
export function rt_object_merge(a: usize, b: usize): usize {
  if (tagOf(a) != T_OBJECT || tagOf(b) != T_OBJECT) return 0;
  return mergeObjects(a, b);
}

function mergeObjects(a: usize, b: usize): usize {
  let merged = objectCopy(a);
  let n = collLen(b);
  for (let i: u32 = 0; i < n; i++) {
    let k = entryKey(b, i);
    let bv = entryValue(b, i);
    let av = objectGet(a, k);
    if (av == 0) {
      objectInsert(merged, k, bv);
    } else if (tagOf(av) == T_OBJECT && tagOf(bv) == T_OBJECT) {
      objectInsert(merged, k, mergeObjects(av, bv));
    }
  }
  return merged;
}

/**
 * A copy of base in which the value at path (path: u32 array of pathLen key values) is value;
 * objects along the path are copied, missing or non-object ones replaced by objects.
 */
export function rt_upsert(base: usize, path: usize, pathLen: u32, value: usize): usize {
  if (pathLen == 0) return value;
  let root = base != 0 && tagOf(base) == T_OBJECT ? objectCopy(base) : makeObject();
  let node = root;
  for (let i: u32 = 0; i + 1 < pathLen; i++) {
    let key = <usize>load<u32>(path + (<usize>i << 2));
    let child = objectGet(node, key);
    child = child != 0 && tagOf(child) == T_OBJECT ? objectCopy(child) : makeObject();
    objectInsert(node, key, child);
    node = child;
  }
  objectInsert(node, <usize>load<u32>(path + (<usize>(pathLen - 1) << 2)), value);
  return root;
}
