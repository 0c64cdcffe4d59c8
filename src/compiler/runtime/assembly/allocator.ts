// The memory manager of the runtime: one bump pointer and nothing else. The build script installs
// this file as AssemblyScript's "stub" runtime, so AssemblyScript's own objects (strings made by
// the std library or by lib/) come from the same heap as Rego values. OPA's Wasm ABI resets the
// heap between evaluations by moving this pointer back (opa_heap_ptr_set / opa_eval's heapPtr),
// which is why nothing is ever freed individually.

import { BLOCK, BLOCK_OVERHEAD, OBJECT, OBJECT_OVERHEAD, OBJECT_MAXSIZE } from "./common";

// @ts-ignore: decorator
@external("env", "opa_abort")
declare function opaAbortRaw(addr: usize): void;

// "out of memory" as a NUL-terminated string; allocation is impossible at this point.
const OUT_OF_MEMORY = memory.data<u8>([
  111, 117, 116, 32, 111, 102, 32, 109, 101, 109, 111, 114, 121, 0,
]);

// Set by __heap_init before anything is allocated (the emitter's start function calls it with
// the end of the policy's static data).
let heapTop: usize = 0;

// @ts-ignore: decorator
@global @inline
function __heap_ptr_get(): usize {
  return heapTop;
}

// @ts-ignore: decorator
@global @inline
function __heap_ptr_set(ptr: usize): void {
  heapTop = ptr;
}

// @ts-ignore: decorator
@global
function __heap_init(start: usize): void {
  heapTop = start;
}

function outOfMemory(): void {
  opaAbortRaw(OUT_OF_MEMORY);
  unreachable();
}

function growTo(end: usize): void {
  let have = <usize>memory.size() << 16;
  if (end > have) {
    let pages = <i32>((end - have + 0xffff) >>> 16);
    // Grow by at least the current size so that large inputs do not grow page by page.
    let wanted = max(pages, memory.size());
    if (memory.grow(wanted) < 0 && memory.grow(pages) < 0) outOfMemory();
  }
}

/** Raw, 8-byte aligned allocation for runtime data (values, buffers). */
// @ts-ignore: decorator
@global
function __bump(size: usize): usize {
  let ptr = (heapTop + 7) & ~7;
  let end = ptr + size;
  if (end < ptr) outOfMemory(); // past 4 GiB
  if (end > (<usize>memory.size() << 16)) growTo(end);
  heapTop = end;
  return ptr;
}

/** Grows the block at [ptr, ptr+oldSize) to newSize, in place when it is the last allocation. */
// @ts-ignore: decorator
@global
function __bump_grow(ptr: usize, oldSize: usize, newSize: usize): usize {
  if (ptr + oldSize == heapTop) {
    let end = ptr + newSize;
    if (end < ptr) outOfMemory();
    if (end > (<usize>memory.size() << 16)) growTo(end);
    heapTop = end;
    return ptr;
  }
  let fresh = __bump(newSize);
  memory.copy(fresh, ptr, oldSize);
  return fresh;
}

// AssemblyScript's memory-manager interface, on top of the bump pointer. Blocks keep their size
// in the header so that __realloc can copy them.

// @ts-ignore: decorator
@global @unsafe
function __alloc(size: usize): usize {
  // The payload of an AssemblyScript object must be 16-byte aligned (OBJECT_OVERHEAD is 16).
  let payload = (heapTop + BLOCK_OVERHEAD + OBJECT_OVERHEAD + 15) & ~15;
  let block = payload - OBJECT_OVERHEAD - BLOCK_OVERHEAD;
  let end = block + BLOCK_OVERHEAD + size;
  if (end > (<usize>memory.size() << 16)) growTo(end);
  heapTop = end;
  changetype<BLOCK>(block).mmInfo = size;
  return block + BLOCK_OVERHEAD;
}

// @ts-ignore: decorator
@global @unsafe
function __realloc(ptr: usize, size: usize): usize {
  let block = changetype<BLOCK>(ptr - BLOCK_OVERHEAD);
  let oldSize = block.mmInfo;
  if (ptr + oldSize == heapTop) {
    let end = ptr + size;
    if (end > (<usize>memory.size() << 16)) growTo(end);
    heapTop = end;
    block.mmInfo = size;
    return ptr;
  }
  if (size <= oldSize) return ptr;
  let fresh = __alloc(size);
  memory.copy(fresh, ptr, oldSize);
  return fresh;
}

// @ts-ignore: decorator
@global @unsafe
function __free(ptr: usize): void {}

// @ts-ignore: decorator
@global @unsafe
function __reset(): void {}

// @ts-ignore: decorator
@global @unsafe
function __new(size: usize, id: u32): usize {
  if (size > OBJECT_MAXSIZE) unreachable();
  let ptr = __alloc(OBJECT_OVERHEAD + size);
  let object = changetype<OBJECT>(ptr - BLOCK_OVERHEAD);
  object.gcInfo = 0;
  object.gcInfo2 = 0;
  object.rtId = id;
  object.rtSize = <u32>size;
  return ptr + OBJECT_OVERHEAD;
}

// @ts-ignore: decorator
@global @unsafe
function __renew(oldPtr: usize, size: usize): usize {
  if (size > OBJECT_MAXSIZE) unreachable();
  let ptr = __realloc(oldPtr - OBJECT_OVERHEAD, OBJECT_OVERHEAD + size);
  changetype<OBJECT>(ptr - BLOCK_OVERHEAD).rtSize = <u32>size;
  return ptr + OBJECT_OVERHEAD;
}

// Garbage-collector hooks: there is no collector.

// @ts-ignore: decorator
@global @unsafe
function __link(parentPtr: usize, childPtr: usize, expectMultiple: bool): void {}

// @ts-ignore: decorator
@global @unsafe
function __pin(ptr: usize): usize {
  return ptr;
}

// @ts-ignore: decorator
@global @unsafe
function __unpin(ptr: usize): void {}

// @ts-ignore: decorator
@global @unsafe
function __visit(ptr: usize, cookie: u32): void {}

// @ts-ignore: decorator
@global @unsafe
function __collect(): void {}
