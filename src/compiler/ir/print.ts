// The IR as text, for a reader (`policypack rego build --emit ir`), as `opa build -t plan` shows
// what OPA's planner made. One line per statement, nested blocks indented by two spaces; string
// operands are shown by their text, locals as %n. The form is stable: the same policy always
// prints the same text, fields in a fixed order per statement.
//
//   plan a/p
//     block
//       Call g0.data.a.p(%0, %1) -> %2
//       ResultSetAdd %2
//
//   func g0.data.a.p(%0, %1) -> %2    # data.a.p
//     block
//       Dot %0 "x" -> %3    @ m0.rego:2:6
//       ...

import type { Block, Constant, Func, Local, Operand, Plan, Policy, SourceLocation, Stmt } from "./types.ts";

const INDENT = "  ";

export function printPolicy(policy: Policy): string {
  const printer = new Printer(policy);
  const sections: string[] = [printer.statics()];
  for (const plan of policy.plans) sections.push(printer.plan(plan));
  for (const func of policy.funcs) sections.push(printer.func(func));
  return `${sections.join("\n\n")}\n`;
}

class Printer {
  constructor(private readonly policy: Policy) {}

  statics(): string {
    const { strings, builtins, files } = this.policy.static;
    const lines = ["strings"];
    strings.forEach((s, i) => lines.push(`${INDENT}${i} ${JSON.stringify(s)}`));
    lines.push("builtins");
    for (const b of builtins) lines.push(`${INDENT}${b.name}/${b.arity}`);
    lines.push("files");
    files.forEach((f, i) => lines.push(`${INDENT}${i} ${f}`));
    return lines.join("\n");
  }

  plan(plan: Plan): string {
    return [`plan ${plan.name}`, ...this.blocks(plan.blocks, 1)].join("\n");
  }

  func(func: Func): string {
    const head = `func ${func.name}(${func.params.map(local).join(", ")}) -> ${local(func.result)}    # data.${func.path.join(".")}`;
    return [head, ...this.blocks(func.blocks, 1)].join("\n");
  }

  private blocks(blocks: Block[], depth: number): string[] {
    return blocks.flatMap((b) => [INDENT.repeat(depth) + "block", ...this.stmts(b.stmts, depth + 1)]);
  }

  private stmts(stmts: Stmt[], depth: number): string[] {
    return stmts.flatMap((s) => {
      const line = INDENT.repeat(depth) + this.stmt(s) + this.location(s.loc);
      switch (s.type) {
        case "Block":
          return [line, ...this.blocks(s.blocks, depth + 1)];
        case "Scan":
        case "Not":
        case "With":
          return [line, ...this.stmts(s.block.stmts, depth + 1)];
        default:
          return [line];
      }
    });
  }

  private location(loc: SourceLocation | undefined): string {
    return loc ? `    @ ${this.policy.static.files[loc.file] ?? "?"}:${loc.row}:${loc.col}` : "";
  }

  private operand(op: Operand): string {
    switch (op.type) {
      case "local":
        return local(op.value);
      case "bool":
        return String(op.value);
      case "string":
        return this.string(op.value);
    }
  }

  private string(index: number): string {
    return JSON.stringify(this.policy.static.strings[index]);
  }

  private constant(c: Constant): string {
    switch (c.type) {
      case "null":
        return "null";
      case "bool":
        return String(c.value);
      case "int":
        return String(c.value);
      case "number":
        return this.policy.static.strings[c.index]!;
      case "string":
        return this.string(c.value);
      case "array":
        return `[${c.items.map((x) => this.constant(x)).join(", ")}]`;
      case "object":
        return `{${c.entries.map(([k, v]) => `${this.constant(k)}: ${this.constant(v)}`).join(", ")}}`;
      case "set":
        return c.items.length === 0 ? "set()" : `{${c.items.map((x) => this.constant(x)).join(", ")}}`;
    }
  }

  /** The statement's own line: its name, its operands, `-> target` for what it assigns. */
  private stmt(s: Stmt): string {
    const o = (op: Operand) => this.operand(op);
    switch (s.type) {
      case "ReturnLocal":
        return `ReturnLocal ${local(s.source)}`;
      case "Call":
        return `Call ${s.func}(${s.args.map(o).join(", ")}) -> ${local(s.result)}`;
      case "Block":
        return "Block";
      case "Break":
        return `Break ${s.index}`;
      case "Dot":
        return `Dot ${o(s.source)} ${o(s.key)} -> ${local(s.target)}`;
      case "Len":
        return `Len ${o(s.source)} -> ${local(s.target)}`;
      case "Scan":
        return `Scan ${local(s.source)} -> key ${local(s.key)} value ${local(s.value)}`;
      case "Not":
        return "Not";
      case "AssignInt":
        return `AssignInt ${s.value} -> ${local(s.target)}`;
      case "AssignVar":
        return `AssignVar ${o(s.source)} -> ${local(s.target)}`;
      case "AssignVarOnce":
        return `AssignVarOnce ${o(s.source)} -> ${local(s.target)}`;
      case "ResetLocal":
        return `ResetLocal ${local(s.target)}`;
      case "MakeNull":
        return `MakeNull -> ${local(s.target)}`;
      case "MakeNumberInt":
        return `MakeNumberInt ${s.value} -> ${local(s.target)}`;
      case "MakeNumberRef":
        return `MakeNumberRef ${this.policy.static.strings[s.index]} -> ${local(s.target)}`;
      case "MakeArray":
        return `MakeArray capacity ${s.capacity} -> ${local(s.target)}`;
      case "MakeObject":
        return `MakeObject -> ${local(s.target)}`;
      case "MakeSet":
        return `MakeSet -> ${local(s.target)}`;
      case "MakeConstant":
        return `MakeConstant ${this.constant(s.value)} -> ${local(s.target)}`;
      case "Equal":
        return `Equal ${o(s.a)} ${o(s.b)}`;
      case "NotEqual":
        return `NotEqual ${o(s.a)} ${o(s.b)}`;
      case "IsArray":
      case "IsObject":
      case "IsSet":
        return `${s.type} ${o(s.source)}`;
      case "IsDefined":
      case "IsUndefined":
        return `${s.type} ${local(s.source)}`;
      case "ArrayAppend":
        return `ArrayAppend ${o(s.value)} -> ${local(s.array)}`;
      case "ObjectInsert":
        return `ObjectInsert ${o(s.key)}: ${o(s.value)} -> ${local(s.object)}`;
      case "ObjectInsertOnce":
        return `ObjectInsertOnce ${o(s.key)}: ${o(s.value)} -> ${local(s.object)}`;
      case "ObjectMerge":
        return `ObjectMerge ${local(s.a)} ${local(s.b)} -> ${local(s.target)}`;
      case "SetAdd":
        return `SetAdd ${o(s.value)} -> ${local(s.set)}`;
      case "With":
        return `With ${local(s.local)}${s.path.map((i) => `[${this.string(i)}]`).join("")} = ${o(s.value)}`;
      case "Nop":
        return "Nop";
      case "ResultSetAdd":
        return `ResultSetAdd ${local(s.value)}`;
    }
  }
}

function local(l: Local): string {
  return `%${l}`;
}
