/**
 * The subset of EventBridge event-pattern matching the baseline's patterns use, for tests: a leaf
 * array lists alternatives (exact values, or {numeric}, {prefix}, {suffix}, {"anything-but"}); an
 * object nests; "$or" takes alternatives of sub-patterns; an array in the event matches when any
 * element matches; a field the pattern names must be present in the event.
 */
type Json = unknown;

function leafMatches(rule: Json, value: Json): boolean {
  if (rule === null || typeof rule !== "object") return rule === value;
  const r = rule as Record<string, Json>;
  if ("prefix" in r) return typeof value === "string" && value.startsWith(r.prefix as string);
  if ("suffix" in r) return typeof value === "string" && value.endsWith(r.suffix as string);
  if ("anything-but" in r) {
    const banned = Array.isArray(r["anything-but"]) ? (r["anything-but"] as Json[]) : [r["anything-but"]];
    return value !== undefined && !banned.includes(value);
  }
  if ("numeric" in r) {
    if (typeof value !== "number") return false;
    const ops = r.numeric as Array<string | number>;
    for (let n = 0; n < ops.length; n += 2) {
      const [op, bound] = [ops[n] as string, ops[n + 1] as number];
      const ok = {
        ">": value > bound,
        ">=": value >= bound,
        "<": value < bound,
        "<=": value <= bound,
        "=": value === bound,
      }[op];
      if (ok === undefined) throw new Error(`numeric operator ${op} is not supported by this matcher`);
      if (!ok) return false;
    }
    return true;
  }
  throw new Error(`pattern rule ${JSON.stringify(rule)} is not supported by this matcher`);
}

function fieldMatches(rule: Json, value: Json): boolean {
  if (value === undefined) return false;
  if (Array.isArray(rule)) {
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => rule.some((alt) => leafMatches(alt, v)));
  }
  if (Array.isArray(value)) return value.some((v) => fieldMatches(rule, v));
  return (
    typeof value === "object" &&
    value !== null &&
    eventMatches(rule as Record<string, Json>, value as Record<string, Json>)
  );
}

export function eventMatches(pattern: Record<string, Json>, event: Record<string, Json>): boolean {
  return Object.entries(pattern).every(([key, rule]) =>
    key === "$or"
      ? (rule as Array<Record<string, Json>>).some((alt) => eventMatches(alt, event))
      : fieldMatches(rule, event[key]),
  );
}
