// The policy's constants, laid out as runtime values in one data segment placed right after the
// runtime's own static data. Constant operands then compile to plain addresses. The layout must
// match src/compiler/runtime/assembly/value.ts.

import type { Constant } from "../ir/types.ts";
import { literalInteger } from "../syntax/number-literal.ts";

export const TAG = {
  null: 1,
  boolean: 2,
  int: 3,
  float: 4,
  string: 5,
  array: 6,
  object: 7,
  set: 8,
  big: 9,
} as const;

/**
 * Byte offsets of the value layout of value.ts, for what this file lays out and what the emitter
 * reads in line.
 */
export const LAYOUT = {
  /** A boolean's 0 or 1. */
  booleanValue: 4,
  stringLength: 4,
  stringBytes: 8,
  /** Arrays, objects and sets: the number of elements or entries. */
  length: 4,
  capacity: 8,
  /** Arrays: the u32 element pointers; objects and sets: the entries. */
  items: 12,
  /** Objects and sets: the hash index, 0 while there is none. */
  index: 16,
  elementSize: 4,
  /** An entry: key, value, hash. */
  entrySize: 12,
  entryValue: 4,
} as const;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

export class StaticData {
  private bytes: Uint8Array<ArrayBuffer> = new Uint8Array(4096);
  private length = 0;
  private readonly strings = new Map<string, number>();
  private readonly numbers = new Map<string, number>();
  private readonly texts = new Map<string, number>();
  private readonly composites = new Map<string, number>();
  private readonly encoder = new TextEncoder();
  private nullAddr = 0;
  private readonly bools: [number, number] = [0, 0];

  constructor(readonly base: number) {}

  /** First address after the data. */
  get end(): number {
    return this.base + this.length;
  }

  contents(): Uint8Array<ArrayBuffer> {
    return this.bytes.slice(0, this.length);
  }

  private reserve(size: number, align: number): number {
    this.length = (this.length + align - 1) & ~(align - 1);
    const offset = this.length;
    this.length += size;
    if (this.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    return offset;
  }

  private view(offset: number, size: number): DataView {
    return new DataView(this.bytes.buffer, this.bytes.byteOffset + offset, size);
  }

  null(): number {
    if (this.nullAddr === 0) {
      const offset = this.reserve(8, 8);
      this.bytes[offset] = TAG.null;
      this.nullAddr = this.base + offset;
    }
    return this.nullAddr;
  }

  boolean(b: boolean): number {
    const i = b ? 1 : 0;
    if (this.bools[i] === 0) {
      const offset = this.reserve(8, 8);
      this.bytes[offset] = TAG.boolean;
      this.bytes[offset + 4] = i;
      this.bools[i] = this.base + offset;
    }
    return this.bools[i];
  }

  string(s: string): number {
    let addr = this.strings.get(s);
    if (addr !== undefined) return addr;
    const utf8 = this.encoder.encode(s);
    const offset = this.reserve(16 + utf8.length, 8);
    const v = this.view(offset, 16);
    // Bytes 1-3 stay 0: "hash not computed yet" (the runtime caches it there on first use).
    v.setUint8(0, TAG.string);
    v.setUint32(LAYOUT.stringLength, utf8.length, true);
    v.setUint32(LAYOUT.stringBytes, this.base + offset + 16, true);
    v.setUint32(12, [...s].length, true);
    this.bytes.set(utf8, offset + 16);
    addr = this.base + offset;
    this.strings.set(s, addr);
    return addr;
  }

  /**
   * A folded constant (src/compiler/optimize), laid out as the runtime builds values: `text`
   * gives the string table's strings. Objects and sets come sorted by key and are marked sorted;
   * they have no hash index, which the runtime builds only when it inserts.
   */
  constant(c: Constant, text: (index: number) => string): number {
    switch (c.type) {
      case "null":
        return this.null();
      case "bool":
        return this.boolean(c.value);
      case "int":
        return this.number(String(c.value));
      case "number":
        return this.number(text(c.index));
      case "string":
        return this.string(text(c.value));
      default: {
        const id = JSON.stringify(c);
        let addr = this.composites.get(id);
        if (addr === undefined) {
          addr = this.composite(c, text);
          this.composites.set(id, addr);
        }
        return addr;
      }
    }
  }

  private composite(c: Extract<Constant, { type: "array" | "object" | "set" }>, text: (index: number) => string): number {
    // Parts first: laying them out may grow (and so move) the buffer a view would point into.
    if (c.type === "array") {
      const items = c.items.map((item) => this.constant(item, text));
      const list = items.length > 0 ? this.addressList(items) : 0;
      const header = this.reserve(16, 8);
      const v = this.view(header, 16);
      v.setUint8(0, TAG.array);
      v.setUint32(LAYOUT.length, items.length, true);
      v.setUint32(LAYOUT.capacity, items.length, true);
      v.setUint32(LAYOUT.items, list, true);
      return this.base + header;
    }
    const entries: Array<[number, number]> =
      c.type === "object" ? c.entries.map(([k, x]) => [this.constant(k, text), this.constant(x, text)]) : c.items.map((k) => [this.constant(k, text), 0]);
    let table = 0;
    if (entries.length > 0) {
      // The hash is unused without an index.
      const offset = this.reserve(LAYOUT.entrySize * entries.length, 4);
      const e = this.view(offset, LAYOUT.entrySize * entries.length);
      entries.forEach(([key, value], i) => {
        e.setUint32(LAYOUT.entrySize * i, key, true);
        e.setUint32(LAYOUT.entrySize * i + LAYOUT.entryValue, value, true);
      });
      table = this.base + offset;
    }
    const header = this.reserve(24, 8);
    const v = this.view(header, 24);
    v.setUint8(0, c.type === "object" ? TAG.object : TAG.set);
    v.setUint8(1, 1); // sorted
    v.setUint32(LAYOUT.length, entries.length, true);
    v.setUint32(LAYOUT.capacity, entries.length, true);
    v.setUint32(LAYOUT.items, table, true);
    return this.base + header;
  }

  /** A number from its Rego literal text, stored the way the runtime's JSON parser would. */
  number(text: string): number {
    let addr = this.numbers.get(text);
    if (addr !== undefined) return addr;
    const integer = literalInteger(text);
    if (integer !== undefined && (integer < I64_MIN || integer > I64_MAX)) {
      addr = this.base + this.bigInteger(integer);
    } else if (integer !== undefined) {
      const offset = this.reserve(16, 8);
      const v = this.view(offset, 16);
      v.setUint8(0, TAG.int);
      v.setBigInt64(8, integer, true);
      addr = this.base + offset;
    } else {
      // The nearest double and the text, which OPA keeps as the number.
      const written = this.text(text);
      const offset = this.reserve(24, 8);
      const v = this.view(offset, 24);
      v.setUint8(0, TAG.float);
      v.setFloat64(8, Number(text), true);
      v.setUint32(16, written.addr, true);
      v.setUint32(20, written.len, true);
      addr = this.base + offset;
    }
    this.numbers.set(text, addr);
    return addr;
  }

  /** An integer beyond i64: sign, limb count, then u32 limbs, least significant first. */
  private bigInteger(n: bigint): number {
    const limbs: number[] = [];
    for (let m = n < 0n ? -n : n; m > 0n; m >>= 32n) limbs.push(Number(m & 0xffffffffn));
    const offset = this.reserve(8 + 4 * limbs.length, 8);
    const v = this.view(offset, 8 + 4 * limbs.length);
    v.setUint8(0, TAG.big);
    v.setUint8(1, n < 0n ? 1 : 0);
    v.setUint32(4, limbs.length, true);
    limbs.forEach((limb, i) => v.setUint32(8 + 4 * i, limb, true));
    return offset;
  }

  /** NUL-terminated text (abort messages: the SDK decodes them byte by byte, so ASCII only). */
  cString(s: string): number {
    const ascii = s.replace(/[^\x20-\x7e]/g, "?");
    return this.text(`${ascii}\0`).addr;
  }

  /** Raw UTF-8 text; returns its address and byte length. */
  text(s: string): { addr: number; len: number } {
    const utf8 = this.encoder.encode(s);
    let addr = this.texts.get(s);
    if (addr === undefined) {
      const offset = this.reserve(utf8.length, 1);
      this.bytes.set(utf8, offset);
      addr = this.base + offset;
      this.texts.set(s, addr);
    }
    return { addr, len: utf8.length };
  }

  /** An array of u32 value addresses. */
  addressList(addrs: number[]): number {
    const offset = this.reserve(4 * addrs.length, 4);
    const v = this.view(offset, 4 * addrs.length);
    addrs.forEach((a, i) => v.setUint32(4 * i, a, true));
    return this.base + offset;
  }
}
