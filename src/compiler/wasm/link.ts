// A byte-level linker: takes the prebuilt runtime module apart into sections and writes a new
// module with the policy's functions, globals, exports and data added. Function indices of the
// runtime never change (nothing is inserted before them), so its code is copied verbatim; this
// keeps emission to about a millisecond, where re-reading and re-writing the runtime through
// binaryen took tens.

import { ByteReader, ByteWriter, I32 } from "./encoding.ts";

const SECTION = {
  custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7,
  start: 8, element: 9, code: 10, data: 11, dataCount: 12,
} as const;

export const EXTERNAL = { func: 0, table: 1, memory: 2, global: 3 } as const;

interface Import {
  module: string;
  field: string;
  kind: number;
  /** The descriptor as encoded (type index, limits, ...). */
  descriptor: Uint8Array;
}

interface Export {
  name: string;
  kind: number;
  index: number;
}

/** The runtime, parsed once per runtime file. */
export class RuntimeModule {
  readonly types: Uint8Array[] = [];
  readonly imports: Import[] = [];
  readonly functionTypes: number[] = [];
  readonly exports = new Map<string, Export>();
  readonly bodies: Uint8Array[] = [];
  readonly dataSegments: Uint8Array[] = [];
  /** Raw contents of sections copied as they are (table, element). */
  readonly raw = new Map<number, Uint8Array>();
  globals: { count: number; bytes: Uint8Array } = { count: 0, bytes: new Uint8Array() };
  importedFunctions = 0;
  memoryMinPages = 0;
  /** First address after the runtime's static data. */
  dataEnd = 0;
  hasDataCount = false;

  constructor(wasm: Uint8Array) {
    const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    if (magic.some((b, i) => wasm[i] !== b)) throw new Error("the policy runtime is not a Wasm 1.0 module");
    const r = new ByteReader(wasm, 8);
    while (!r.done) {
      const id = r.u8();
      const size = r.u32();
      const body = new ByteReader(r.bytes(size));
      this.readSection(id, body);
    }
  }

  private readSection(id: number, s: ByteReader): void {
    switch (id) {
      case SECTION.type:
        for (let n = s.u32(), i = 0; i < n; i++) {
          const start = s.pos;
          if (s.u8() !== 0x60) throw new Error("unsupported Wasm type");
          s.bytes(s.u32());
          s.bytes(s.u32());
          this.types.push(s.buf.subarray(start, s.pos));
        }
        break;
      case SECTION.import:
        for (let n = s.u32(), i = 0; i < n; i++) {
          const module = s.name();
          const field = s.name();
          const kind = s.u8();
          const start = s.pos;
          if (kind === EXTERNAL.func) {
            s.u32();
            this.importedFunctions++;
          } else if (kind === EXTERNAL.memory) {
            const flags = s.u8();
            this.memoryMinPages = s.u32();
            if (flags & 1) s.u32();
          } else {
            throw new Error(`unsupported import kind ${kind} in the policy runtime`);
          }
          this.imports.push({ module, field, kind, descriptor: s.buf.subarray(start, s.pos) });
        }
        break;
      case SECTION.function:
        for (let n = s.u32(), i = 0; i < n; i++) this.functionTypes.push(s.u32());
        break;
      case SECTION.global: {
        const count = s.u32();
        this.globals = { count, bytes: s.buf.subarray(s.pos) };
        break;
      }
      case SECTION.export:
        for (let n = s.u32(), i = 0; i < n; i++) {
          const name = s.name();
          const kind = s.u8();
          this.exports.set(name, { name, kind, index: s.u32() });
        }
        break;
      case SECTION.code:
        for (let n = s.u32(), i = 0; i < n; i++) this.bodies.push(s.bytes(s.u32()));
        break;
      case SECTION.data:
        for (let n = s.u32(), i = 0; i < n; i++) {
          const start = s.pos;
          const flags = s.u32();
          let offset: number | undefined;
          if (flags === 0 || flags === 2) {
            if (flags === 2) s.u32();
            if (s.u8() !== 0x41) throw new Error("unsupported data segment offset in the policy runtime");
            offset = s.i32();
            if (s.u8() !== 0x0b) throw new Error("unsupported data segment offset in the policy runtime");
          }
          const length = s.u32();
          s.bytes(length);
          if (offset !== undefined) this.dataEnd = Math.max(this.dataEnd, offset + length);
          this.dataSegments.push(s.buf.subarray(start, s.pos));
        }
        break;
      case SECTION.dataCount:
        this.hasDataCount = true;
        break;
      case SECTION.custom:
      case SECTION.start: // the build script moved the start function to the rt_start export
        break;
      case SECTION.table:
      case SECTION.element:
        this.raw.set(id, s.buf);
        break;
      case SECTION.memory:
        throw new Error("the policy runtime must import its memory");
      default:
        throw new Error(`unknown section ${id} in the policy runtime`);
    }
  }

  /** Index of the function the runtime exports as `name`. */
  func(name: string): number {
    const e = this.exports.get(name);
    if (!e || e.kind !== EXTERNAL.func) throw new Error(`internal error: the policy runtime has no function ${name}`);
    return e.index;
  }
}

/** Builds one policy module on top of a RuntimeModule. */
export class ModuleBuilder {
  private readonly types: Uint8Array[];
  private readonly typeIndex = new Map<string, number>();
  private readonly newFunctionTypes: number[] = [];
  private readonly newBodies: Array<Uint8Array | undefined> = [];
  private readonly replacedBodies = new Map<number, Uint8Array>();
  private readonly newGlobals = new ByteWriter();
  private newGlobalCount = 0;
  private readonly exports: Export[] = [];
  private readonly newData: Uint8Array[] = [];
  private startFunction: number | undefined;
  private minPages: number;

  constructor(private readonly rt: RuntimeModule) {
    this.types = [...rt.types];
    this.types.forEach((t, i) => this.typeIndex.set(key(t), i));
    this.minPages = rt.memoryMinPages;
  }

  /** Type index of the function type taking `params` i32s and returning `results` i32s. */
  private type(params: number, results: number): number {
    const w = new ByteWriter().u8(0x60).u32(params);
    for (let i = 0; i < params; i++) w.u8(I32);
    w.u32(results);
    for (let i = 0; i < results; i++) w.u8(I32);
    const bytes = w.contents();
    let index = this.typeIndex.get(key(bytes));
    if (index === undefined) {
      index = this.types.push(bytes) - 1;
      this.typeIndex.set(key(bytes), index);
    }
    return index;
  }

  /** Reserves a new function (i32 parameters, zero or one i32 result); returns its index. */
  declareFunction(params: number, results: 0 | 1): number {
    this.newFunctionTypes.push(this.type(params, results));
    this.newBodies.push(undefined);
    return this.rt.importedFunctions + this.rt.functionTypes.length + this.newBodies.length - 1;
  }

  /** Sets a function's body: locals declaration and code, ending with `end`. */
  defineFunction(index: number, body: Uint8Array): void {
    const runtimeCount = this.rt.importedFunctions + this.rt.functionTypes.length;
    if (index < runtimeCount) this.replacedBodies.set(index - this.rt.importedFunctions, body);
    else this.newBodies[index - runtimeCount] = body;
  }

  addConstGlobal(value: number): number {
    this.newGlobals.u8(I32).u8(0).u8(0x41).i32(value).u8(0x0b);
    return this.rt.globals.count + this.newGlobalCount++;
  }

  addMutableGlobal(initial: number): number {
    this.newGlobals.u8(I32).u8(1).u8(0x41).i32(initial).u8(0x0b);
    return this.rt.globals.count + this.newGlobalCount++;
  }

  export(name: string, kind: number, index: number): void {
    this.exports.push({ name, kind, index });
  }

  addData(offset: number, bytes: Uint8Array): void {
    this.newData.push(new ByteWriter().u32(0).u8(0x41).i32(offset).u8(0x0b).u32(bytes.length).bytes(bytes).contents());
  }

  requireMemoryPages(pages: number): void {
    this.minPages = Math.max(this.minPages, pages);
  }

  setStart(index: number): void {
    this.startFunction = index;
  }

  emit(): Uint8Array<ArrayBuffer> {
    const { rt } = this;
    const out = new ByteWriter().bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    const section = (id: number, w: ByteWriter) => out.u8(id).sized(w);

    const types = new ByteWriter().u32(this.types.length);
    for (const t of this.types) types.bytes(t);
    section(SECTION.type, types);

    const imports = new ByteWriter().u32(rt.imports.length);
    for (const i of rt.imports) {
      imports.name(i.module).name(i.field).u8(i.kind);
      if (i.kind === EXTERNAL.memory) imports.u8(0).u32(this.minPages);
      else imports.bytes(i.descriptor);
    }
    section(SECTION.import, imports);

    const functions = new ByteWriter().u32(rt.functionTypes.length + this.newFunctionTypes.length);
    for (const t of rt.functionTypes) functions.u32(t);
    for (const t of this.newFunctionTypes) functions.u32(t);
    section(SECTION.function, functions);

    const table = rt.raw.get(SECTION.table);
    if (table) section(SECTION.table, new ByteWriter().bytes(table));

    const globals = new ByteWriter().u32(rt.globals.count + this.newGlobalCount).bytes(rt.globals.bytes).bytes(this.newGlobals.contents());
    section(SECTION.global, globals);

    const exports = new ByteWriter().u32(this.exports.length);
    for (const e of this.exports) exports.name(e.name).u8(e.kind).u32(e.index);
    section(SECTION.export, exports);

    if (this.startFunction !== undefined) section(SECTION.start, new ByteWriter().u32(this.startFunction));

    const element = rt.raw.get(SECTION.element);
    if (element) section(SECTION.element, new ByteWriter().bytes(element));

    const dataCount = rt.dataSegments.length + this.newData.length;
    if (rt.hasDataCount) section(SECTION.dataCount, new ByteWriter().u32(dataCount));

    const code = new ByteWriter().u32(rt.bodies.length + this.newBodies.length);
    rt.bodies.forEach((b, i) => code.u32((this.replacedBodies.get(i) ?? b).length).bytes(this.replacedBodies.get(i) ?? b));
    this.newBodies.forEach((b, i) => {
      if (!b) throw new Error(`internal error: function ${i} was declared but never defined`);
      code.u32(b.length).bytes(b);
    });
    section(SECTION.code, code);

    const data = new ByteWriter().u32(dataCount);
    for (const d of rt.dataSegments) data.bytes(d);
    for (const d of this.newData) data.bytes(d);
    section(SECTION.data, data);

    return out.contents();
  }
}

function key(bytes: Uint8Array): string {
  return Array.from(bytes).join(",");
}
