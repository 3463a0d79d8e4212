/**
 * A matcher for the subset of the CloudWatch Logs JSON filter-pattern syntax the CIS filters use:
 * `{ <expr> }` with `$.a.b` selectors, `=` / `!=` against quoted or bare values (`*` is a wildcard
 * inside a string value), `NOT EXISTS`, `IS NULL`, parentheses, `&&` and `||`.
 *
 * Mixing `&&` and `||` at one level without parentheses is rejected: the CloudWatch documentation
 * does not state their precedence, so a pattern that depends on it is ambiguous (this is why the
 * CIS v1.5.0 unauthorized-calls pattern is kept in its grouped form).
 *
 * Comparisons need the property to be present: `$.x != "y"` does not match an event without `x`.
 * Use `NOT EXISTS` to test absence.
 */
import { wildcardMatches } from "../wildcard";

export type FilterPredicate = (event: unknown) => boolean;

type Node =
  | { kind: "and" | "or"; items: Node[] }
  | { kind: "cmp"; path: string[]; op: "=" | "!="; value: string; quoted: boolean }
  | { kind: "absent"; path: string[] }
  | { kind: "null"; path: string[] };

export class FilterPatternError extends Error {
  constructor(pattern: string, at: number, what: string) {
    super(`filter pattern: ${what} at position ${at} in ${JSON.stringify(pattern)}`);
    this.name = "FilterPatternError";
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    this.expect("{");
    const node = this.expr();
    this.expect("}");
    this.skipSpace();
    if (this.pos !== this.src.length) this.fail("unexpected text after the closing brace");
    return node;
  }

  private expr(): Node {
    const first = this.term();
    const items = [first];
    let op: "and" | "or" | undefined;
    for (;;) {
      this.skipSpace();
      const next = this.src.startsWith("&&", this.pos) ? "and" : this.src.startsWith("||", this.pos) ? "or" : undefined;
      if (!next) break;
      if (op && op !== next) this.fail("&& and || mixed without parentheses");
      op = next;
      this.pos += 2;
      items.push(this.term());
    }
    return op ? { kind: op, items } : first;
  }

  private term(): Node {
    this.skipSpace();
    if (this.src[this.pos] === "(") {
      this.pos++;
      const inner = this.expr();
      this.expect(")");
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Node {
    const path = this.selector();
    this.skipSpace();
    // Keywords are separated by any whitespace, as everywhere else in a pattern.
    const absent = /^NOT\s+EXISTS/.exec(this.src.slice(this.pos));
    if (absent) {
      this.pos += absent[0].length;
      return { kind: "absent", path };
    }
    const isNull = /^IS\s+NULL/.exec(this.src.slice(this.pos));
    if (isNull) {
      this.pos += isNull[0].length;
      return { kind: "null", path };
    }
    const op = this.src.startsWith("!=", this.pos) ? "!=" : this.src[this.pos] === "=" ? "=" : undefined;
    if (!op) this.fail("expected =, !=, NOT EXISTS or IS NULL");
    this.pos += op!.length;
    this.skipSpace();
    const quoted = this.src[this.pos] === '"';
    return { kind: "cmp", path, op: op!, value: this.value(), quoted };
  }

  private selector(): string[] {
    this.skipSpace();
    if (this.src[this.pos] !== "$") this.fail("expected a $ selector");
    this.pos++;
    const path: string[] = [];
    while (this.src[this.pos] === ".") {
      this.pos++;
      const m = /^[A-Za-z0-9_-]+/.exec(this.src.slice(this.pos));
      if (!m) this.fail("expected a property name");
      path.push(m![0]);
      this.pos += m![0].length;
    }
    if (path.length === 0) this.fail("a selector needs at least one property");
    return path;
  }

  private value(): string {
    this.skipSpace();
    if (this.src[this.pos] === '"') {
      const end = this.src.indexOf('"', this.pos + 1);
      if (end < 0) this.fail("unterminated string");
      const v = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return v;
    }
    const m = /^[^\s()&|{}"]+/.exec(this.src.slice(this.pos));
    if (!m) this.fail("expected a value");
    this.pos += m![0].length;
    return m![0];
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private fail(what: string): never {
    throw new FilterPatternError(this.src, this.pos, what);
  }
}

const MISSING = Symbol("missing");

function lookup(event: unknown, path: string[]): unknown {
  let cur: unknown = event;
  for (const p of path) {
    if (cur === null || typeof cur !== "object" || !(p in (cur as Record<string, unknown>))) return MISSING;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

function evaluate(node: Node, event: unknown): boolean {
  switch (node.kind) {
    case "and":
      return node.items.every((n) => evaluate(n, event));
    case "or":
      return node.items.some((n) => evaluate(n, event));
    case "absent":
      return lookup(event, node.path) === MISSING;
    case "null":
      return lookup(event, node.path) === null;
    case "cmp": {
      const text = scalarText(lookup(event, node.path));
      if (text === undefined) return false;
      // Filter values know only `*`; a `?` in a value is an ordinary character.
      const equal = wildcardMatches(node.value, text, { questionMark: "literal" });
      return node.op === "=" ? equal : !equal;
    }
  }
}

/** Parses a pattern once; throws FilterPatternError naming the position of the first problem. */
export function compileFilterPattern(pattern: string): FilterPredicate {
  const ast = new Parser(pattern).parse();
  return (event) => evaluate(ast, event);
}

export function matchesFilterPattern(pattern: string, event: unknown): boolean {
  return compileFilterPattern(pattern)(event);
}

/**
 * A canonical text of a pattern's tree: two patterns with the same canonical text match exactly the
 * same events. "The same by meaning" covers, and only covers:
 * - whitespace and redundant parentheses (the tree is compared, not the text);
 * - the order of terms inside one `&&` or one `||` (both commute), and nesting of the same operator
 *   (`a && (b && c)` is `a && b && c`: both associate);
 * - a term repeated inside one `&&` or `||` (both are idempotent);
 * - quoting of a string value (`$.eventName = ConsoleLogin` is `$.eventName = "ConsoleLogin"`); a
 *   bare number stays distinct from a quoted one, since CloudWatch compares a bare number numerically.
 * It does not cover: De Morgan or distribution (`a && (b || c)` against `(a && b) || (a && c)`), one
 * wildcard value that subsumes another, case (values are case-sensitive), or a term that is always
 * true for CloudTrail events: such equivalent patterns are reported as different, never the reverse.
 */
export function canonicalFilterPattern(pattern: string): string {
  return canonical(new Parser(pattern).parse());
}

/** True when both patterns parse and have the same canonical tree (see canonicalFilterPattern). */
export function sameFilterPatternMeaning(a: string, b: string): boolean {
  return canonicalFilterPattern(a) === canonicalFilterPattern(b);
}

const NUMBER = /^-?\d+(\.\d+)?$/;

function canonical(node: Node): string {
  switch (node.kind) {
    case "cmp": {
      const value = !node.quoted && NUMBER.test(node.value) ? node.value : JSON.stringify(node.value);
      return `$.${node.path.join(".")} ${node.op} ${value}`;
    }
    case "absent":
      return `$.${node.path.join(".")} NOT EXISTS`;
    case "null":
      return `$.${node.path.join(".")} IS NULL`;
    case "and":
    case "or": {
      const items = [...new Set(flatten(node.kind, node.items).map(canonical))].sort();
      return items.length === 1 ? items[0] : `(${items.join(node.kind === "and" ? " && " : " || ")})`;
    }
  }
}

function flatten(kind: "and" | "or", items: Node[]): Node[] {
  return items.flatMap((n) => (n.kind === kind ? flatten(kind, n.items) : [n]));
}
