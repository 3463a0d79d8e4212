/** How every control that wants a customer managed KMS key judges the key reference. */
import type { KeyMatch } from "./facts";
import type { Fact, Gap } from "./types";

/** AWS managed keys (alias/aws/…) cannot be governed by your key policy. */
export function isAwsManagedKeyRef(ref: string): boolean {
  return /(^|:)alias\/aws\//.test(ref);
}

export type KeyReason = "missing" | "aws-managed-key" | "not-intended-key";

/**
 * Set, not AWS managed, and the intended key where the judging side knows it. An unknown key id
 * references a key the engine creates at update, so it counts as set.
 */
export function customerKeyGaps<F extends string>(
  field: F,
  key: Fact<string>,
  intended: Fact<KeyMatch>,
): Gap<F, KeyReason>[] {
  const expected = "a customer managed KMS key";
  if (key.kind === "unknown") return [];
  if (key.kind === "absent" || key.value === "") return [{ field, expected, found: key, reason: "missing" }];
  if (isAwsManagedKeyRef(key.value)) return [{ field, expected, found: key, reason: "aws-managed-key" }];
  if (intended.kind === "known" && !intended.value.same)
    return [{ field, expected: "the intended key", found: key, reason: "not-intended-key" }];
  return [];
}
