/**
 * The plan and the batch states are handed between steps as JSON. `plainJson` gives the value the
 * other side will parse, so the in-process run evaluates exactly what a Lambda would read back:
 * an undefined property is dropped (as JSON.stringify drops it), and anything JSON cannot carry
 * as itself (a Date, Map, Set, class instance, function, bigint, NaN or Infinity, an undefined
 * array entry) throws, naming its path, instead of arriving changed.
 */
export function plainJson<T>(value: T, path = "$"): T {
  return copy(value, path) as T;
}

function copy(v: unknown, path: string): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new TypeError(`${path}: ${v} has no JSON form`);
    return v;
  }
  if (Array.isArray(v))
    return v.map((x, i) => {
      if (x === undefined) throw new TypeError(`${path}[${i}]: undefined in an array would arrive as null`);
      return copy(x, `${path}[${i}]`);
    });
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null)
      throw new TypeError(
        `${path}: a ${(v as object).constructor?.name ?? "class instance"} would not survive JSON; store a plain value (an ISO-8601 string for a time)`,
      );
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = copy(x, `${path}.${k}`);
    return out;
  }
  throw new TypeError(`${path}: a ${typeof v} has no JSON form`);
}
