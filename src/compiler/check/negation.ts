// What OPA evaluates before a negation. OPA's compiler moves the references and calls inside an
// expression's arguments out into expressions of their own that run first (its "expression terms"
// and "dynamic terms" rewritings), so in `not f(input.missing)` the reference is evaluated before
// the `not`: when it is undefined the body fails, rather than the negation holding. Positive
// expressions mean the same either way; only a negation tells the two readings apart, so the
// planner applies the rewriting to negated expressions alone.
//
// Where OPA leaves a term in place:
// - either side of `=` and of `==` (which OPA turns into `=`): a reference itself stays inside
//   (only its keys move out), so `not input.missing == 1` holds;
// - a lone reference (`not input.x`, `not obj[k]`): only its keys move out;
// - a comprehension on either side of `=` or on its own (always defined);
// - print's arguments (print already treats undefined arguments itself).
// Everywhere else in a call's arguments, and in the keys of a reference, every reference (a
// rule's name and `input` included) and call moves out, after the terms inside it.

import type { CallTerm, ExprNode, RefTerm, Term, VarTerm } from "../ast/types.ts";

/** A term to evaluate before the negation, bound to `temp`, which replaces it there. */
export interface Hoisted {
  temp: VarTerm;
  term: Term;
}

/** A negated expression as it runs: `hoisted` first, then the negation of `node`, which reads them. */
export interface NegatedExpr {
  node: ExprNode;
  hoisted: Hoisted[];
}

/**
 * The negated expression `node` with the terms OPA evaluates first replaced by temporary vars,
 * and those terms in the order they are evaluated (a later one may read an earlier one's var).
 * `isDocument` tells a var naming a document (input, data, an import, a rule) from a local;
 * `fresh` makes a new temporary var; `copied` is told of each call term copied with new arguments.
 */
export function hoistNegatedArguments(
  node: ExprNode,
  isDocument: (name: string) => boolean,
  fresh: (at: Term) => VarTerm,
  copied: (copy: CallTerm, original: CallTerm) => void,
): NegatedExpr {
  const hoisted: Hoisted[] = [];
  const withArgs = (t: CallTerm, args: Term[]): CallTerm => {
    const copy = { ...t, args };
    copied(copy, t);
    return copy;
  };
  const hoist = (term: Term): VarTerm => {
    const temp = fresh(term);
    hoisted.push({ temp, term });
    return temp;
  };
  /** A term in argument position: every reference and call in it moves out. */
  const argument = (t: Term): Term => {
    switch (t.type) {
      case "var":
        return isDocument(t.name) ? hoist(t) : t;
      case "ref":
        return hoist(keys(t));
      case "call":
        return hoist(withArgs(t, t.args.map(argument)));
      case "array":
      case "set":
        return { ...t, items: t.items.map(argument) };
      case "object":
        return { ...t, items: t.items.map(([k, v]): [Term, Term] => [argument(k), argument(v)]) };
      case "arraycomp":
      case "setcomp":
      case "objectcomp":
        return hoist(t);
      default:
        return t;
    }
  };
  /** Only the calls in a term move out (a reference's head that is a literal collection). */
  const calls = (t: Term): Term => {
    switch (t.type) {
      case "call":
        return argument(t);
      case "ref":
        return { ...t, head: calls(t.head), path: t.path.map(calls) };
      case "array":
      case "set":
        return { ...t, items: t.items.map(calls) };
      case "object":
        return { ...t, items: t.items.map(([k, v]): [Term, Term] => [calls(k), calls(v)]) };
      default:
        return t;
    }
  };
  /** A reference whose keys (and head, when computed) move out; the reference itself stays. */
  const keys = (t: RefTerm): RefTerm => ({ ...t, head: t.head.type === "var" ? t.head : calls(t.head), path: t.path.map(argument) });
  /** A side of `=` or a lone term. */
  const operand = (t: Term): Term => {
    switch (t.type) {
      case "ref":
        return keys(t);
      case "var":
      case "arraycomp":
      case "setcomp":
      case "objectcomp":
        return t;
      default:
        return argument(t);
    }
  };
  switch (node.type) {
    case "term": {
      const t = node.term;
      if (t.type !== "call") return { node: { ...node, term: operand(t) }, hoisted };
      const name = t.op.join(".");
      if (name === "print") return { node, hoisted };
      const args = name === "equal" && t.args.length === 2 ? t.args.map(operand) : t.args.map(argument);
      return { node: { ...node, term: withArgs(t, args) }, hoisted };
    }
    case "unify":
      return { node: { ...node, left: operand(node.left), right: operand(node.right) }, hoisted };
    default:
      return { node, hoisted };
  }
}
