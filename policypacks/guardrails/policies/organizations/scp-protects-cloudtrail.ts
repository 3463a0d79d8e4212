import { REQUIRED_TRAIL_DENIES, ScpDenyConfig, scpProtectsCloudTrail } from "../../../../baseline/rules";
import { stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const scpProtectsCloudtrail = stackPolicy<ScpDenyConfig>(
  {
    name: "scp-protects-cloudtrail",
    description:
      "Checks that a service control policy denies stopping, deleting and reconfiguring trails, judged by meaning (wildcards, NotAction, conditions), and is attached to the organization root or to every top-level OU.",
    severity: "critical",
    remediationSteps:
      'Attach an SCP with a Deny on cloudtrail:StopLogging, DeleteTrail, UpdateTrail and PutEventSelectors (wildcards such as cloudtrail:* count) on Resource "*", whose only condition exempts named break-glass principals (ArnNotLike aws:PrincipalArn), to the root.',
    controls: [],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      requiredDeniedActions: z
        .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/))
        .min(1)
        .default([...REQUIRED_TRAIL_DENIES])
        .describe("Actions the SCP must deny."),
    }),
  },
  (resources, cfg) => scpProtectsCloudTrail(resources, cfg),
);
