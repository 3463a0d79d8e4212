import { SCP_LIMIT_DEFAULTS, ScpLimitsConfig, scpLimits } from "../../../../baseline/rules";
import { stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const scpLimitsPolicy = stackPolicy<ScpLimitsConfig>(
  {
    name: "scp-limits",
    description:
      "Checks that SCP documents stay within AWS Organizations' character limit and that no target has more SCPs attached than allowed.",
    severity: "high",
    remediationSteps:
      "Minify the document, merge statements or use wildcards; merge SCPs so that no root, OU or account carries more than the limit (FullAWSAccess counts unless detached).",
    controls: [],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      maxChars: z
        .int()
        .min(1)
        .max(SCP_LIMIT_DEFAULTS.maxChars)
        .default(SCP_LIMIT_DEFAULTS.maxChars)
        .describe("Largest SCP document accepted, in characters."),
      maxPerTarget: z
        .int()
        .min(1)
        .max(SCP_LIMIT_DEFAULTS.maxPerTarget)
        .default(SCP_LIMIT_DEFAULTS.maxPerTarget)
        .describe("Most SCPs attached directly to one target."),
      countFullAwsAccess: z
        .boolean()
        .default(SCP_LIMIT_DEFAULTS.countFullAwsAccess)
        .describe("Count the AWS-managed FullAWSAccess SCP AWS attaches to every target."),
    }),
  },
  (resources, cfg) => scpLimits(resources, cfg),
);
