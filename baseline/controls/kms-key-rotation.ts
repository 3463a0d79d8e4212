import type { KeyRotationFacts } from "./facts";
import { defineControl, type Gap, withDefault } from "./types";

export interface RotationParams {
  /** Longest rotation period accepted; undefined where the side cannot read the period. */
  maxRotationPeriodDays?: number;
}

type Field = "keySpec" | "rotationEnabled" | "rotationPeriodDays";

/**
 * Symmetric encryption keys rotate (KMS cannot rotate asymmetric or HMAC keys). One gap at most,
 * in the order a fix is made: the key's kind, rotation on, then its period.
 */
export const kmsKeyRotation = defineControl<KeyRotationFacts, RotationParams, Field, "above-maximum">(
  {
    id: "kms-key-rotation",
    title: "Symmetric customer managed KMS keys rotate automatically, at most every configured number of days",
    severity: "medium",
    risk: "Without rotation one key version protects years of logs: a leaked or broken key version exposes all of them.",
    cis: [{ version: "3.0.0", id: "3.6" }],
    fsbp: ["KMS.4"],
    references: [
      "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html",
    ],
  },
  (f, p): Gap<Field, "above-maximum">[] => {
    if (f.keySpec.kind === "unknown" || f.keyUsage.kind === "unknown")
      return [
        {
          field: "keySpec",
          expected: "known at preview",
          found: f.keySpec.kind === "unknown" ? f.keySpec : f.keyUsage,
        },
      ];
    const spec = withDefault(f.keySpec, "SYMMETRIC_DEFAULT");
    const usage = withDefault(f.keyUsage, "ENCRYPT_DECRYPT");
    const symmetric =
      spec.kind === "known" &&
      spec.value === "SYMMETRIC_DEFAULT" &&
      usage.kind === "known" &&
      usage.value === "ENCRYPT_DECRYPT";
    if (!symmetric) return [];
    const on = f.rotationEnabled;
    if (!(on.kind === "known" && on.value === true)) return [{ field: "rotationEnabled", expected: "true", found: on }];
    const period = f.rotationPeriodDays;
    if (period.kind === "unknown")
      return [
        { field: "rotationPeriodDays", expected: `≤ ${p.maxRotationPeriodDays ?? "the maximum"}`, found: period },
      ];
    if (period.kind === "known" && p.maxRotationPeriodDays !== undefined && period.value > p.maxRotationPeriodDays) {
      return [
        {
          field: "rotationPeriodDays",
          expected: `≤ ${p.maxRotationPeriodDays}`,
          found: period,
          reason: "above-maximum",
        },
      ];
    }
    return [];
  },
);
