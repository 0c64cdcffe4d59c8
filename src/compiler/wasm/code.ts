// A Wasm function body's instructions, written with the branch depths of structured control
// computed from label ids.

import { ByteWriter, I32, OP } from "./encoding.ts";

/** Instruction writer that tracks structured-control nesting to compute branch depths. */
export class Code {
  readonly w = new ByteWriter();
  /** Label ids of the enclosing blocks, loops and ifs, innermost last (-1: not a target). */
  private readonly labels: number[] = [];
  private nextLabel = 0;

  op(opcode: number): this {
    this.w.u8(opcode);
    return this;
  }

  /** Opens a block; returns its label. */
  block(): number {
    const label = this.nextLabel++;
    this.w.u8(OP.block).u8(OP.voidBlock);
    this.labels.push(label);
    return label;
  }

  loop(): number {
    const label = this.nextLabel++;
    this.w.u8(OP.loop).u8(OP.voidBlock);
    this.labels.push(label);
    return label;
  }

  if(): this {
    this.w.u8(OP.if).u8(OP.voidBlock);
    this.labels.push(-1);
    return this;
  }

  else(): this {
    this.w.u8(OP.else);
    return this;
  }

  end(): this {
    this.w.u8(OP.end);
    this.labels.pop();
    return this;
  }

  private depth(label: number): number {
    const i = this.labels.lastIndexOf(label);
    if (i < 0) throw new Error("internal error: branch to a label not in scope");
    return this.labels.length - 1 - i;
  }

  br(label: number): this {
    this.w.u8(OP.br).u32(this.depth(label));
    return this;
  }

  brIf(label: number): this {
    this.w.u8(OP.brIf).u32(this.depth(label));
    return this;
  }

  call(index: number): this {
    this.w.u8(OP.call).u32(index);
    return this;
  }

  globalGet(i: number): this {
    this.w.u8(OP.globalGet).u32(i);
    return this;
  }

  globalSet(i: number): this {
    this.w.u8(OP.globalSet).u32(i);
    return this;
  }

  localGet(i: number): this {
    this.w.u8(OP.localGet).u32(i);
    return this;
  }

  localSet(i: number): this {
    this.w.u8(OP.localSet).u32(i);
    return this;
  }

  localTee(i: number): this {
    this.w.u8(OP.localTee).u32(i);
    return this;
  }

  i32Const(n: number): this {
    this.w.u8(OP.i32Const).i32(n);
    return this;
  }

  /** Loads the byte at the address on the stack plus `offset`. */
  i32Load8U(offset = 0): this {
    this.w.u8(OP.i32Load8U).u32(0).u32(offset);
    return this;
  }

  /** Loads the u32 at the address on the stack plus `offset`. */
  i32Load(offset = 0): this {
    this.w.u8(OP.i32Load).u32(2).u32(offset);
    return this;
  }

  /** The function body: `vars` i32 locals, the code, the final `end`. */
  finish(vars = 0): Uint8Array {
    const body = new ByteWriter();
    if (vars > 0) body.u32(1).u32(vars).u8(I32);
    else body.u32(0);
    body.bytes(this.w.contents()).u8(OP.end);
    return body.contents();
  }
}
