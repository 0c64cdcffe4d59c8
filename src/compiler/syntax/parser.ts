// Rego parser: tokens → AST (ast/types.ts). A hand-written recursive-descent parser following
// the grammar of OPA's language reference, for both Rego v1 and v0 syntax.
//
// Operator precedence, loosest first, as in OPA's parser: `in` < comparison (`==` `!=` `<`
// `<=` `>` `>=`) < `|` < `&` < `+ -` < `* / %` < unary minus. All binary operators are
// left-associative. A line break ends an expression only where the expression could end, so
// an operator at the end of a line continues it onto the next.

import type {
  Body,
  CallTerm,
  ElseClause,
  Expr,
  ExprNode,
  Import,
  Location,
  Module,
  Rule,
  RuleHead,
  RuleKind,
  Term,
  VarTerm,
  With,
} from "../ast/types.ts";
import { BUILTINS, VARIADIC } from "../builtins.ts";
import { CompileError } from "../errors.ts";
import { describeToken, tokenize, type Token } from "./lexer.ts";

export interface ParseOptions {
  regoVersion: 0 | 1;
}

/** Words that are keywords in every module, whatever its version and imports. */
const RESERVED = new Set(["package", "import", "as", "default", "else", "not", "some", "with", "true", "false", "null"]);
/** Words that are keywords in v1, and in v0 only once imported from `future.keywords`. */
const FUTURE_KEYWORDS = ["contains", "every", "if", "in"] as const;
type FutureKeyword = (typeof FUTURE_KEYWORDS)[number];

const BINARY_LEVELS: ReadonlyArray<Readonly<Record<string, string>>> = [
  { "==": "equal", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" },
  { "|": "or" },
  { "&": "and" },
  { "+": "plus", "-": "minus" },
  { "*": "mul", "/": "div", "%": "rem" },
];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses one Rego module. Throws CompileError at the first syntax error. */
export function parseModule(text: string, file: string, options: ParseOptions): Module {
  return new Parser(text, file, options.regoVersion).parseModule();
}

/** A rule head as written, before the body decides the rule's kind. */
interface HeadSyntax {
  path: string[];
  key?: Term;
  /** The key as written, for hints. */
  keyText?: string;
  args?: Term[];
  contains?: Term;
  value?: Term;
  assign: boolean;
  loc: Location;
  /** Token index range of the head, to quote it in hints. */
  from: number;
  to: number;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** True when the module is parsed with v1 rules: v1 mode, or a v0 module importing rego.v1. */
  private strict: boolean;
  private readonly keywords = new Set<FutureKeyword>();
  private wildcards = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    regoVersion: 0 | 1,
  ) {
    this.tokens = tokenize(text, file);
    this.strict = regoVersion === 1;
    if (this.strict) for (const k of FUTURE_KEYWORDS) this.keywords.add(k);
  }

  // ---- token helpers ----

  private get tok(): Token {
    return this.tokens[this.pos];
  }
  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== "eof") this.pos++;
    return t;
  }
  private isPunct(p: string, t: Token = this.tok): boolean {
    return t.kind === "punct" && t.text === p;
  }
  /** Is the token the given keyword, as currently active (reserved, or an enabled future keyword)? */
  private isKeyword(word: string, t: Token = this.tok): boolean {
    if (t.kind !== "ident" || t.text !== word) return false;
    return RESERVED.has(word) || this.keywords.has(word as FutureKeyword);
  }
  private expectPunct(p: string, expected = `\`${p}\``): Token {
    if (!this.isPunct(p)) throw this.unexpected(expected);
    return this.next();
  }
  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) throw this.unexpected(`\`${word}\``);
    return this.next();
  }
  private unexpected(expected: string, t: Token = this.tok, hint?: string): CompileError {
    return new CompileError(t.loc, `expected ${expected}, found ${describeToken(t)}`, hint ?? this.keywordHint(t));
  }
  /** A hint for a word that would be a keyword had the module imported it. */
  private keywordHint(t: Token): string | undefined {
    if (t.kind !== "ident" || this.keywords.has(t.text as FutureKeyword)) return undefined;
    if (!(FUTURE_KEYWORDS as readonly string[]).includes(t.text)) return undefined;
    return `\`${t.text}\` is a keyword only after \`import future.keywords.${t.text}\` or \`import rego.v1\` in v0 modules`;
  }
  private source(fromToken: number, toToken: number): string {
    return this.text.slice(this.tokens[fromToken].start, this.tokens[toToken - 1].end);
  }

  // ---- module ----

  parseModule(): Module {
    const start = this.tok;
    if (!this.isKeyword("package")) throw this.unexpected("`package` declaration");
    this.next();
    const pkg = this.parsePath("package");
    const imports: Import[] = [];
    while (this.isKeyword("import")) imports.push(this.parseImport());
    const rules: Rule[] = [];
    while (this.tok.kind !== "eof") {
      if (this.isKeyword("import")) {
        throw new CompileError(this.tok.loc, "import after the first rule", "move every import above the rules");
      }
      if (this.isKeyword("package")) {
        throw new CompileError(this.tok.loc, "second `package` declaration", "put each package in its own file");
      }
      rules.push(...this.parseRule());
    }
    return { file: this.file, package: pkg.map((s) => s.name), imports, rules, regoVersion: this.strict ? 1 : 0, loc: start.loc };
  }

  /** `a.b["c-d"].e` as plain segments (package names and import paths). */
  private parsePath(what: string): Array<{ name: string; loc: Location }> {
    if (this.tok.kind !== "ident") throw this.unexpected(`a name after \`${what}\``);
    const segments = [{ name: this.tok.text, loc: this.next().loc }];
    for (;;) {
      if (this.isPunct(".") && !this.tok.newlineBefore) {
        this.next();
        const name = this.next();
        if (name.kind !== "ident") throw this.unexpected("a name after `.`", name);
        segments.push({ name: name.text, loc: name.loc });
      } else if (this.isPunct("[") && !this.tok.newlineBefore) {
        this.next();
        const key = this.next();
        if (key.kind !== "string") throw this.unexpected(`a string inside \`[ ]\` in the ${what} path`, key);
        segments.push({ name: key.text, loc: key.loc });
        this.expectPunct("]");
      } else {
        return segments;
      }
    }
  }

  private parseImport(): Import {
    const loc = this.next().loc;
    const segments = this.parsePath("import");
    const path = segments.map((s) => s.name);
    const root = path[0];
    let alias: string | undefined;
    if (this.isKeyword("as") && !this.tok.newlineBefore) {
      this.next();
      if (this.tok.kind !== "ident" || RESERVED.has(this.tok.text)) throw this.unexpected("an alias name after `as`");
      alias = this.next().text;
    }
    if (root === "future") {
      if (path[1] !== "keywords" || path.length > 3) {
        throw new CompileError(loc, `unknown import \`${path.join(".")}\``, "the future imports are `future.keywords` and `future.keywords.<keyword>`");
      }
      const wanted = path.length === 3 ? [path[2]] : [...FUTURE_KEYWORDS];
      for (const word of wanted) {
        if (!(FUTURE_KEYWORDS as readonly string[]).includes(word)) {
          throw new CompileError(segments[2].loc, `unknown future keyword \`${word}\``, `known keywords: ${FUTURE_KEYWORDS.join(", ")}`);
        }
        this.keywords.add(word as FutureKeyword);
        // `every x in xs` cannot be written without `in`.
        if (word === "every") this.keywords.add("in");
      }
    } else if (root === "rego") {
      if (path.length !== 2 || path[1] !== "v1") {
        throw new CompileError(loc, `unknown import \`${path.join(".")}\``, "did you mean `import rego.v1`?");
      }
      this.strict = true;
      for (const k of FUTURE_KEYWORDS) this.keywords.add(k);
    } else if (root !== "data" && root !== "input") {
      throw new CompileError(loc, `cannot import \`${path.join(".")}\``, "imports start with `data.`, `input`, `future.keywords` or `rego.v1`");
    }
    if (alias !== undefined && (root === "future" || root === "rego")) {
      throw new CompileError(loc, `\`import ${path.join(".")}\` cannot have an alias`);
    }
    return alias === undefined ? { path, loc } : { path, alias, loc };
  }

  // ---- rules ----

  /** One rule, or several when a v0 rule has more than one body (`p { a } { b }`). */
  private parseRule(): Rule[] {
    const ruleLoc = this.tok.loc;
    const isDefault = this.isKeyword("default");
    if (isDefault) this.next();
    const head = this.parseHead();
    if (isDefault) return [this.makeDefault(head, ruleLoc)];

    const bodies: Body[] = [];
    if (this.isKeyword("if")) {
      this.next();
      bodies.push(this.isPunct("{") ? this.parseBraceBody() : [this.parseLiteral()]);
    } else if (this.isPunct("{")) {
      if (this.strict) throw this.missingIf(head, ruleLoc);
      bodies.push(this.parseBraceBody());
      while (this.isPunct("{")) bodies.push(this.parseBraceBody());
    }
    const headNode = this.classify(head, bodies.length > 0);

    let elseClause: ElseClause | undefined;
    if (this.isKeyword("else")) {
      if (headNode.kind === "partialSet" || headNode.kind === "partialObject") {
        throw new CompileError(this.tok.loc, "`else` on a partial rule", "only complete rules and functions can have `else`");
      }
      if (bodies.length !== 1) {
        throw new CompileError(this.tok.loc, bodies.length === 0 ? "`else` after a rule without a body" : "`else` after a rule with several bodies");
      }
      elseClause = this.parseElse();
    }
    if (bodies.length === 0) return [{ default: false, head: headNode, body: [], loc: ruleLoc }];
    return bodies.map((body, i) => {
      const rule: Rule = { default: false, head: i === 0 ? headNode : structuredClone(headNode), body, loc: ruleLoc };
      if (elseClause) rule.else = elseClause;
      return rule;
    });
  }

  private parseHead(): HeadSyntax {
    const from = this.pos;
    const first = this.tok;
    if (first.kind !== "ident" || RESERVED.has(first.text) || first.text === "_") throw this.unexpected("a rule");
    const head: HeadSyntax = { path: [this.next().text], assign: false, loc: first.loc, from, to: from };
    for (;;) {
      if (this.isPunct(".") && !this.tok.newlineBefore) {
        this.next();
        if (this.tok.kind !== "ident") throw this.unexpected("a name after `.`");
        head.path.push(this.next().text);
      } else if (this.isPunct("[") && !this.tok.newlineBefore) {
        this.next();
        const keyFrom = this.pos;
        const key = this.parseTerm(false);
        const keyTo = this.pos;
        this.expectPunct("]");
        if ((this.isPunct(".") || this.isPunct("[")) && !this.tok.newlineBefore) {
          if (key.type !== "string") {
            throw new CompileError(key.loc, "rule heads with a variable before the last segment are not supported", "use a constant string, or a single `[key]` at the end");
          }
          head.path.push(key.value);
          continue;
        }
        head.key = key;
        head.keyText = this.source(keyFrom, keyTo);
        break;
      } else {
        break;
      }
    }
    if (!head.key && this.isPunct("(") && !this.tok.newlineBefore) {
      this.next();
      head.args = [];
      if (!this.isPunct(")")) {
        for (;;) {
          head.args.push(this.parseTerm(false));
          if (!this.isPunct(",")) break;
          this.next();
        }
      }
      this.expectPunct(")", "`,` or `)` after a function argument");
      // As in OPA, `f()` declares no arguments: a rule, used by name.
      if (head.args.length === 0) delete head.args;
    }
    if (this.isKeyword("contains")) {
      if (head.key || head.args) throw new CompileError(this.tok.loc, "`contains` after a rule key or function arguments");
      this.next();
      head.contains = this.parseTerm(false);
    } else if (this.isPunct(":=") || this.isPunct("=")) {
      head.assign = this.next().text === ":=";
      head.value = this.parseTerm(false);
    }
    head.to = this.pos;
    return head;
  }

  /** v1 requires `if` before a body; OPA reports this at the rule's first character. */
  private missingIf(head: HeadSyntax, ruleLoc: Location): CompileError {
    const written = this.source(head.from, head.to);
    const hint =
      head.key && !head.value
        ? `\`${written} { … }\` is a v0 partial set rule: use \`${head.path.join(".")} contains ${head.keyText} if { … }\` or pass --v0-compatible`
        : `write \`${written} if { … }\` or pass --v0-compatible`;
    return new CompileError(ruleLoc, "`if` keyword is required before rule body", hint);
  }

  private classify(head: HeadSyntax, hasBody: boolean): RuleHead {
    const node: RuleHead = { path: head.path, kind: "complete", assign: head.assign, loc: head.loc };
    let kind: RuleKind;
    if (head.args) {
      kind = "function";
      node.args = head.args;
    } else if (head.contains) {
      kind = "partialSet";
      node.key = head.contains;
    } else if (head.key) {
      node.key = head.key;
      if (head.value) {
        kind = "partialObject";
      } else if (this.strict) {
        const written = this.source(head.from, head.to);
        throw new CompileError(
          head.loc,
          `\`${written}\` without a value is a v0 partial set rule`,
          `use \`${head.path.join(".")} contains ${head.keyText} if { … }\`, or \`${written} := true\` for an object`,
        );
      } else {
        kind = "partialSet";
      }
    } else {
      kind = "complete";
      if (!head.value && !hasBody) {
        throw this.unexpected(this.strict ? "`if`, `:=`, `=` or `contains` after the rule name" : "`{`, `if`, `:=` or `=` after the rule name");
      }
    }
    if (head.value) node.value = head.value;
    // v0 reads a bare head `f(x, "a")` as `f(x, "a") = true`.
    if (kind === "function" && !head.value && !hasBody && this.strict) throw this.unexpected("a function body or `:=` value");
    node.kind = kind;
    return node;
  }

  private makeDefault(head: HeadSyntax, loc: Location): Rule {
    if (head.key || head.contains) {
      throw new CompileError(head.loc, "a default rule cannot be a partial set or object", "write `default name := value`");
    }
    if (!head.value) throw this.unexpected("`:=` or `=` and a value after `default`");
    if (this.isKeyword("if") || this.isPunct("{")) throw new CompileError(this.tok.loc, "a default rule cannot have a body");
    const node: RuleHead = { path: head.path, kind: head.args ? "function" : "complete", value: head.value, assign: head.assign, loc: head.loc };
    if (head.args) node.args = head.args;
    return { default: true, head: node, body: [], loc };
  }

  private parseElse(): ElseClause {
    const loc = this.next().loc;
    let value: Term | undefined;
    if (this.isPunct(":=") || this.isPunct("=")) {
      this.next();
      value = this.parseTerm(false);
    }
    let body: Body;
    if (this.isKeyword("if")) {
      this.next();
      body = this.isPunct("{") ? this.parseBraceBody() : [this.parseLiteral()];
    } else if (this.isPunct("{")) {
      if (this.strict) throw new CompileError(this.tok.loc, "`if` keyword is required before else body", "write `else := value if { … }` or pass --v0-compatible");
      body = this.parseBraceBody();
    } else if (value) {
      // `else := v` without a body: the last resort, which always holds.
      body = [];
    } else {
      throw this.unexpected(this.strict ? "`:=`, `=` or `if` after `else`" : "`=` or `{` after `else`");
    }
    const clause: ElseClause = { body, loc };
    if (value) clause.value = value;
    if (this.isKeyword("else")) clause.else = this.parseElse();
    return clause;
  }

  // ---- bodies and literals ----

  private parseBraceBody(): Body {
    const open = this.next();
    if (this.isPunct("}")) throw new CompileError(open.loc, "empty rule body", "remove the `{ }` or put an expression in it");
    return this.parseQuery("}");
  }

  /** Literals separated by `;` or line breaks, up to and including the closing token. */
  private parseQuery(close: "}" | "]"): Body {
    const body: Body = [];
    for (;;) {
      body.push(this.parseLiteral());
      if (this.isPunct(";")) {
        this.next();
        if (this.isPunct(close)) break;
        continue;
      }
      if (this.isPunct(close)) break;
      if (this.tok.newlineBefore && this.tok.kind !== "eof") continue;
      throw this.unexpected(`\`;\`, a line break or \`${close}\` after the expression`);
    }
    this.next();
    return body;
  }

  private parseLiteral(): Expr {
    const loc = this.tok.loc;
    let negated = false;
    let node: ExprNode;
    if (this.isKeyword("some")) {
      node = this.parseSome();
    } else if (this.isKeyword("every")) {
      node = this.parseEvery();
    } else {
      if (this.isKeyword("not")) {
        this.next();
        negated = true;
      }
      node = this.parseExprNode();
    }
    const withs: With[] = [];
    while (this.isKeyword("with")) {
      const withLoc = this.next().loc;
      const target = this.parsePostfix();
      if (target.type !== "var" && target.type !== "ref") {
        throw new CompileError(target.loc, "the target of `with` must be `input`, `data` or a reference below them");
      }
      this.expectKeyword("as");
      withs.push({ target, value: this.parseTerm(false), loc: withLoc });
    }
    return { negated, with: withs, node, loc };
  }

  private parseExprNode(): ExprNode {
    const left = this.parseTerm(true);
    if (this.isPunct(":=")) {
      this.next();
      return { type: "assign", left, right: this.parseTerm(true) };
    }
    if (this.isPunct("=")) {
      this.next();
      return { type: "unify", left, right: this.parseTerm(true) };
    }
    return { type: "term", term: left };
  }

  private parseSome(): ExprNode {
    this.next();
    const terms = [this.parseRelation()];
    while (this.isPunct(",")) {
      this.next();
      terms.push(this.parseRelation());
    }
    if (this.isKeyword("in")) {
      const inTok = this.next();
      if (terms.length > 2) throw new CompileError(inTok.loc, "`some … in` takes at most a key and a value", "write `some k, v in xs`");
      const collection = this.parseRelation();
      const value = terms[terms.length - 1];
      return terms.length === 2 ? { type: "somein", key: terms[0], value, collection } : { type: "somein", value, collection };
    }
    const vars: VarTerm[] = [];
    for (const t of terms) {
      if (t.type !== "var") {
        throw new CompileError(t.loc, "`some` declares variables: expected a variable name", this.keywordHint(this.tok) ?? "write `some x` or `some x in xs`");
      }
      vars.push(t);
    }
    return { type: "some", vars };
  }

  private parseEvery(): ExprNode {
    this.next();
    const first = this.parseEveryVar();
    let second: VarTerm | undefined;
    if (this.isPunct(",")) {
      this.next();
      second = this.parseEveryVar();
    }
    this.expectKeyword("in");
    const domain = this.parseRelation();
    if (!this.isPunct("{")) throw this.unexpected("`{` to start the body of `every`");
    const body = this.parseBraceBody();
    return second ? { type: "every", key: first, value: second, domain, body } : { type: "every", value: first, domain, body };
  }

  private parseEveryVar(): VarTerm {
    const t = this.parsePrimary();
    if (t.type !== "var") throw new CompileError(t.loc, "`every` takes variable names", "write `every x in xs { … }` or `every k, v in xs { … }`");
    return t;
  }

  // ---- terms ----

  /**
   * A full term, with `in` membership. `keyValue` allows `k, v in xs` (only where a comma cannot
   * separate list items: at the top of an expression).
   */
  private parseTerm(keyValue: boolean, lhs?: Term): Term {
    let left = this.parseRelation(lhs);
    if (keyValue && this.isPunct(",")) {
      const saved = this.pos;
      try {
        this.next();
        const middle = this.parseRelation();
        if (this.isKeyword("in")) {
          const inTok = this.next();
          left = this.call(["internal", "member_3"], inTok.loc, [left, middle, this.parseRelation()], left.loc);
        } else {
          this.pos = saved;
        }
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        this.pos = saved;
      }
    }
    while (this.isKeyword("in")) {
      const inTok = this.next();
      left = this.call(["internal", "member_2"], inTok.loc, [left, this.parseRelation()], left.loc);
    }
    return left;
  }

  private parseRelation(lhs?: Term): Term {
    return this.parseBinary(0, lhs);
  }

  private parseBinary(level: number, lhs?: Term): Term {
    if (level === BINARY_LEVELS.length) return lhs ?? this.parseUnary();
    const ops = BINARY_LEVELS[level];
    let left = this.parseBinary(level + 1, lhs);
    while (this.tok.kind === "punct" && Object.hasOwn(ops, this.tok.text)) {
      const opTok = this.next();
      const right = this.parseBinary(level + 1);
      left = this.call([ops[opTok.text]], opTok.loc, [left, right], left.loc);
    }
    return left;
  }

  private parseUnary(): Term {
    if (!this.isPunct("-")) return this.parsePostfix();
    const minus = this.next();
    if (this.tok.kind === "number") {
      const num = this.next();
      return { type: "number", value: `-${num.text}`, loc: minus.loc };
    }
    const operand = this.parseUnary();
    return this.call(["minus"], minus.loc, [{ type: "number", value: "0", loc: minus.loc }, operand], minus.loc);
  }

  /** A primary term followed by `.name`, `[term]` and call arguments on the same line. */
  private parsePostfix(): Term {
    let term = this.parsePrimary();
    for (;;) {
      if (this.tok.newlineBefore) return term;
      if (this.isPunct(".")) {
        this.next();
        if (this.tok.kind !== "ident") throw this.unexpected("a field name after `.`");
        const field = this.next();
        term = this.extend(term, { type: "string", value: field.text, loc: field.loc });
      } else if (this.isPunct("[")) {
        this.next();
        const index = this.parseTerm(false);
        this.expectPunct("]");
        term = this.extend(term, index);
      } else if (this.isPunct("(")) {
        term = this.parseCall(term);
      } else {
        return term;
      }
    }
  }

  private extend(term: Term, operand: Term): Term {
    if (term.type === "ref") return { ...term, path: [...term.path, operand] };
    return { type: "ref", head: term, path: [operand], loc: term.loc };
  }

  private parseCall(callee: Term): Term {
    const open = this.next();
    if (callee.type === "var" && callee.name === "set" && this.isPunct(")")) {
      this.next();
      return { type: "set", items: [], loc: callee.loc };
    }
    const op = functionName(callee);
    if (!op) throw new CompileError(open.loc, "only named functions can be called", "call a function by name, e.g. `f(x)` or `object.get(o, k, d)`");
    const args: Term[] = [];
    if (!this.isPunct(")")) {
      for (;;) {
        args.push(this.parseTerm(false));
        if (!this.isPunct(",")) break;
        this.next();
        if (this.isPunct(")")) break;
      }
    }
    this.expectPunct(")", "`,` or `)` in the argument list");
    // `f()` is the value of rule `f`, declared as `f() = x { … }`, unless f is a built-in that
    // takes no arguments (time.now_ns) or any number of them (print)
    const arity = BUILTINS.get(op.join("."))?.arity;
    if (args.length === 0 && arity !== 0 && arity !== VARIADIC) return callee;
    return this.call(op, callee.loc, args, callee.loc);
  }

  private call(op: string[], opLoc: Location, args: Term[], loc: Location): CallTerm {
    return { type: "call", op, opLoc, args, loc };
  }

  private parsePrimary(): Term {
    const t = this.tok;
    switch (t.kind) {
      case "number":
        this.next();
        return { type: "number", value: t.text, loc: t.loc };
      case "string":
        this.next();
        return { type: "string", value: t.text, loc: t.loc };
      case "ident":
        if (t.text === "true" || t.text === "false") {
          this.next();
          return { type: "boolean", value: t.text === "true", loc: t.loc };
        }
        if (t.text === "null") {
          this.next();
          return { type: "null", loc: t.loc };
        }
        // `contains` stays usable as the built-in function's name; it is a keyword only in rule heads.
        if (RESERVED.has(t.text) || (t.text !== "contains" && this.isKeyword(t.text))) throw this.unexpected("a term");
        this.next();
        if (t.text === "_") return { type: "var", name: `$wildcard${this.wildcards++}`, loc: t.loc };
        return { type: "var", name: t.text, loc: t.loc };
      case "punct":
        if (t.text === "[") return this.parseArray();
        if (t.text === "{") return this.parseBraced();
        if (t.text === "(") {
          this.next();
          const inner = this.parseTerm(true);
          this.expectPunct(")", "`)` to close `(`");
          return inner;
        }
        throw this.unexpected("a term");
      case "eof":
        throw this.unexpected("a term");
    }
  }

  /**
   * A term that may be followed by the `|` of a comprehension: every operator binding tighter
   * than `|` belongs to it (`[x * 2 | …]`); a following `|` always starts the body, as in OPA.
   */
  private parseComprehensionHead(): Term {
    return this.parseBinary(BINARY_LEVELS.findIndex((ops) => Object.hasOwn(ops, "|")) + 1);
  }

  private parseArray(): Term {
    const open = this.next();
    if (this.isPunct("]")) {
      this.next();
      return { type: "array", items: [], loc: open.loc };
    }
    const head = this.parseComprehensionHead();
    if (this.isPunct("|")) {
      this.next();
      return { type: "arraycomp", term: head, body: this.parseQuery("]"), loc: open.loc };
    }
    const items = this.parseItems(this.parseTerm(false, head), "]");
    return { type: "array", items, loc: open.loc };
  }

  /** The rest of a comma-separated list whose first item is parsed; consumes the closing token. */
  private parseItems(first: Term, close: "]" | "}"): Term[] {
    const items = [first];
    while (this.isPunct(",")) {
      this.next();
      if (this.isPunct(close)) break;
      items.push(this.parseTerm(false));
    }
    this.expectPunct(close, `\`,\` or \`${close}\``);
    return items;
  }

  /** `{}` objects, sets, and set and object comprehensions. */
  private parseBraced(): Term {
    const open = this.next();
    if (this.isPunct("}")) {
      this.next();
      return { type: "object", items: [], loc: open.loc };
    }
    const head = this.parseComprehensionHead();
    if (this.isPunct("|")) {
      this.next();
      return { type: "setcomp", term: head, body: this.parseQuery("}"), loc: open.loc };
    }
    if (this.isPunct(":")) {
      this.next();
      const valueHead = this.parseComprehensionHead();
      if (this.isPunct("|")) {
        this.next();
        return { type: "objectcomp", key: head, value: valueHead, body: this.parseQuery("}"), loc: open.loc };
      }
      return this.parseObjectRest(head, this.parseTerm(false, valueHead), open.loc);
    }
    const first = this.parseTerm(false, head);
    if (this.isPunct(":")) {
      this.next();
      return this.parseObjectRest(first, this.parseTerm(false), open.loc);
    }
    return { type: "set", items: this.parseItems(first, "}"), loc: open.loc };
  }

  private parseObjectRest(firstKey: Term, firstValue: Term, loc: Location): Term {
    const items: Array<[Term, Term]> = [[firstKey, firstValue]];
    while (this.isPunct(",")) {
      this.next();
      if (this.isPunct("}")) break;
      const key = this.parseTerm(false);
      this.expectPunct(":", "`:` after the object key");
      items.push([key, this.parseTerm(false)]);
    }
    this.expectPunct("}", "`,` or `}` in the object");
    return { type: "object", items, loc };
  }
}

/** `f`, `object.get`, `data.lib.f`: the dotted name of a callee, or undefined if it has none. */
function functionName(callee: Term): string[] | undefined {
  if (callee.type === "var") return callee.name.startsWith("$") ? undefined : [callee.name];
  if (callee.type !== "ref" || callee.head.type !== "var") return undefined;
  const names = [callee.head.name];
  for (const part of callee.path) {
    if (part.type !== "string" || !IDENTIFIER.test(part.value)) return undefined;
    names.push(part.value);
  }
  return names;
}
