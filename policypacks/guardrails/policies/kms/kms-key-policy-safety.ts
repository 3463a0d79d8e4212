import { KEY_TYPE, KeyPolicyConfig, keyPolicySafety } from "../../../../baseline/rules";
import { resourcePolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const kmsKeyPolicySafety = resourcePolicy<KeyPolicyConfig>(
  {
    name: "kms-key-policy-safety",
    description:
      'Checks that KMS key policies grant nothing to an unconditioned "*" principal, that the lockout safety check is not bypassed, and that the deletion window is at least the minimum.',
    severity: "critical",
    remediationSteps:
      'Name principals (account roots narrowed by aws:PrincipalArn, or services with aws:SourceArn) instead of "*"; remove bypassPolicyLockoutSafetyCheck; set deletionWindowInDays to at least the minimum.',
    controls: [],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      minDeletionWindowDays: z.int().min(7).max(30).default(30).describe("Shortest pending-deletion window accepted."),
    }),
  },
  [KEY_TYPE],
  (r, cfg) => keyPolicySafety(r.props, cfg),
);
