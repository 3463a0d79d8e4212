import { SCP_LIMIT_DEFAULTS, ScpLimitsConfig, scpLimits } from "../../../../baseline/rules";
import { stackPolicy } from "../../lib/define";

export const scpLimitsPolicy = stackPolicy<ScpLimitsConfig>(
  {
    name: "scp-limits",
    description: "Checks that SCP documents stay within AWS Organizations' character limit and that no target has more SCPs attached than allowed.",
    severity: "high",
    remediationSteps: "Minify the document, merge statements or use wildcards; merge SCPs so that no root, OU or account carries more than the limit (FullAWSAccess counts unless detached).",
    controls: [],
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        maxChars: { type: "integer", minimum: 1, maximum: SCP_LIMIT_DEFAULTS.maxChars, default: SCP_LIMIT_DEFAULTS.maxChars, description: "Largest SCP document accepted, in characters." },
        maxPerTarget: { type: "integer", minimum: 1, maximum: SCP_LIMIT_DEFAULTS.maxPerTarget, default: SCP_LIMIT_DEFAULTS.maxPerTarget, description: "Most SCPs attached directly to one target." },
        countFullAwsAccess: { type: "boolean", default: SCP_LIMIT_DEFAULTS.countFullAwsAccess, description: "Count the AWS-managed FullAWSAccess SCP AWS attaches to every target." },
      },
    },
  },
  (resources, cfg) => scpLimits(resources, cfg),
);
