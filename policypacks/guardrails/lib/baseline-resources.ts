/**
 * Which resources of a stack are the baseline's own. Every baseline resource is a child of an
 * orgwarden component (`orgwarden:<module>:<Type>`, DESIGN.md's house style), so its URN's type
 * chain — `urn:pulumi:<stack>::<project>::<parent type>$…$<type>::<name>` — names one. That holds in
 * every stack, at a first preview too (URNs are always known), and whatever the resources are
 * called; a resource the program creates outside the components (a website bucket, say) is not
 * the baseline's, even in the baseline's own stack.
 */

export const BASELINE_COMPONENT_PREFIX = "orgwarden:";

/** The URN's type chain, outermost parent first, the resource's own type last. */
export function typeChain(urn: string): string[] {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts[2].split("$") : [];
}

/** True when a component of the baseline (an `orgwarden:` type) is among the resource's ancestors. */
export function isBaselineResource(urn: string): boolean {
  return typeChain(urn)
    .slice(0, -1)
    .some((t) => t.startsWith(BASELINE_COMPONENT_PREFIX));
}

/**
 * Whether a type entry names this resource: `<type>` names every resource of that type, and
 * `<component type>$<type>` only those whose direct parent is that component.
 */
export function typeEntryMatches(entry: string, urn: string): boolean {
  const chain = typeChain(urn);
  if (chain.length === 0) return false;
  const own = chain[chain.length - 1];
  const [first, second] = entry.split("$");
  if (second === undefined) return first === own;
  return second === own && chain[chain.length - 2] === first;
}

/** The resource type an entry applies to (its last segment). */
export function entryType(entry: string): string {
  return entry.split("$").pop()!;
}
