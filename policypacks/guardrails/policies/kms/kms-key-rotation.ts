import { KEY_TYPE, keyRotation, RotationConfig } from "../../../../baseline/rules";
import { cis, resourcePolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const kmsKeyRotation = resourcePolicy<RotationConfig>(
  {
    name: "kms-key-rotation",
    description:
      "Checks that symmetric KMS keys have automatic key rotation on, at most every configured number of days.",
    severity: "medium",
    framework: cis("3.0.0", "3.6", "Ensure rotation for customer-created symmetric CMKs is enabled"),
    remediationSteps:
      "Set enableKeyRotation: true (and rotationPeriodInDays between 90 and the maximum) on the aws.kms.Key.",
    controls: ["kms-key-rotation"],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      maxRotationPeriodDays: z.int().min(90).max(2560).default(365).describe("Longest rotation period accepted."),
    }),
  },
  [KEY_TYPE],
  (r, cfg) => keyRotation(r.props, cfg),
);
