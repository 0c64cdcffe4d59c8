// Prints AST nodes as one canonical line of Rego-like text: operators appear as the calls they
// are (`plus(x, 1)`), sets as `set(…)`, so that two different trees never print alike. Used in
// error messages and to assert parse results in tests.

import type { Body, ElseClause, Expr, Module, Rule, Term } from "../ast/types.ts";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatTerm(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return t.value;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name;
    case "ref": {
      const head = t.head.type === "var" ? t.head.name : `(${formatTerm(t.head)})`;
      return head + t.path.map((p) => (p.type === "string" && IDENTIFIER.test(p.value) ? `.${p.value}` : `[${formatTerm(p)}]`)).join("");
    }
    case "array":
      return `[${t.items.map(formatTerm).join(", ")}]`;
    case "object":
      return `{${t.items.map(([k, v]) => `${formatTerm(k)}: ${formatTerm(v)}`).join(", ")}}`;
    case "set":
      return `set(${t.items.map(formatTerm).join(", ")})`;
    case "arraycomp":
      return `[${formatTerm(t.term)} | ${formatBody(t.body)}]`;
    case "setcomp":
      return `{${formatTerm(t.term)} | ${formatBody(t.body)}}`;
    case "objectcomp":
      return `{${formatTerm(t.key)}: ${formatTerm(t.value)} | ${formatBody(t.body)}}`;
    case "call":
      return `${t.op.join(".")}(${t.args.map(formatTerm).join(", ")})`;
  }
}

export function formatBody(body: Body): string {
  return body.map(formatExpr).join("; ");
}

export function formatExpr(e: Expr): string {
  const n = e.node;
  let text: string;
  switch (n.type) {
    case "term":
      text = formatTerm(n.term);
      break;
    case "unify":
      text = `${formatTerm(n.left)} = ${formatTerm(n.right)}`;
      break;
    case "assign":
      text = `${formatTerm(n.left)} := ${formatTerm(n.right)}`;
      break;
    case "some":
      text = `some ${n.vars.map(formatTerm).join(", ")}`;
      break;
    case "somein":
      text = `some ${n.key ? `${formatTerm(n.key)}, ` : ""}${formatTerm(n.value)} in ${formatTerm(n.collection)}`;
      break;
    case "every":
      text = `every ${n.key ? `${formatTerm(n.key)}, ` : ""}${formatTerm(n.value)} in ${formatTerm(n.domain)} { ${formatBody(n.body)} }`;
      break;
  }
  const withs = e.with.map((w) => ` with ${formatTerm(w.target)} as ${formatTerm(w.value)}`).join("");
  return `${e.negated ? "not " : ""}${text}${withs}`;
}

/** `partialSet violation[{"msg": msg}] if { … }`: the kind first, then the rule as Rego. */
export function formatRule(r: Rule): string {
  const h = r.head;
  let text = `${r.default ? "default " : ""}${h.kind} ${h.path.join(".")}`;
  if (h.args) text += `(${h.args.map(formatTerm).join(", ")})`;
  if (h.key) text += h.kind === "partialSet" ? ` contains ${formatTerm(h.key)}` : `[${formatTerm(h.key)}]`;
  if (h.value) text += ` ${h.assign ? ":=" : "="} ${formatTerm(h.value)}`;
  if (r.body.length > 0) text += ` if { ${formatBody(r.body)} }`;
  if (r.else) text += formatElse(r.else);
  return text;
}

function formatElse(e: ElseClause): string {
  const value = e.value ? ` = ${formatTerm(e.value)}` : "";
  const body = e.body.length > 0 ? ` if { ${formatBody(e.body)} }` : "";
  return ` else${value}${body}${e.else ? formatElse(e.else) : ""}`;
}

export function formatModule(m: Module): string {
  const lines = [`package ${m.package.join(".")}`];
  for (const i of m.imports) lines.push(`import ${i.path.join(".")}${i.alias ? ` as ${i.alias}` : ""}`);
  for (const r of m.rules) lines.push(formatRule(r));
  return lines.join("\n");
}
