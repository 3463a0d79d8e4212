/**
 * Misspelt config is the commonest bad input and Pulumi passes it through silently: a key the
 * program never reads just has no effect. These turn a misspelling into a problem that names the
 * key and the nearest key the program does read.
 */
import { PROJECT } from "./config-keys";

/** Namespaces a stack file may use: the project's, and the ones of the provider and engine the program uses. */
export const ALLOWED_NAMESPACES = [PROJECT, "aws", "pulumi"] as const;

/** Edit distance (insertions, deletions, substitutions), two rows at a time. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The candidate closest to `word` (the first of equals), if any is within `maxDistance`. */
export function nearest(word: string, candidates: readonly string[], maxDistance = Infinity): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= maxDistance ? best : undefined;
}

/** Close enough to be a typo rather than another word: about a third of the key may differ. */
const typoDistance = (key: string) => Math.max(2, Math.floor(key.length / 3));

/** `<project>:<key> is not a known key`, with the nearest declared key when one is plausibly meant. */
export function unknownKeyProblem(key: string, knownKeys: readonly string[]): string {
  const guess = nearest(key, knownKeys, typoDistance(key));
  return `${PROJECT}:${key} is not a known key${guess ? `; did you mean ${PROJECT}:${guess}?` : ""} (see Pulumi.yaml for the declared keys)`;
}

/**
 * One problem per full key (`ns:key`) outside the allowed namespaces. A key part that is (nearly)
 * one of the project's keys says the project was meant, whatever the namespace looks like;
 * otherwise the nearest namespace is suggested with the key kept (a far-fetched key suggestion
 * would mislead more than none; the key is then judged again under the namespace it lands in).
 */
export function namespaceProblems(fullKeys: readonly string[], knownKeys: readonly string[]): string[] {
  const problems: string[] = [];
  for (const full of fullKeys) {
    const colon = full.indexOf(":");
    const ns = colon < 0 ? "" : full.slice(0, colon);
    if ((ALLOWED_NAMESPACES as readonly string[]).includes(ns)) continue;
    const key = full.slice(colon + 1);
    const ownKey = nearest(key, knownKeys, typoDistance(key));
    const guessNs = ownKey ? PROJECT : (nearest(ns, ALLOWED_NAMESPACES) ?? PROJECT);
    const guess = `${guessNs}:${ownKey ?? key}`;
    problems.push(
      `${full}: unknown config namespace "${ns}"; did you mean ${guess}? Allowed namespaces: ${ALLOWED_NAMESPACES.join(", ")}`,
    );
  }
  return problems;
}
