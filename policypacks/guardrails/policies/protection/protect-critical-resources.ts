import { PROTECTED_TYPES_DEFAULT, ProtectConfig, protectedResource } from "../../../../baseline/rules";
import { resourcePolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const protectCriticalResources = resourcePolicy<ProtectConfig>(
  {
    name: "protect-critical-resources",
    description:
      "Checks that log buckets, KMS keys, trails and accounts keep protect: true and do not set forceDestroy or closeOnDeletion.",
    severity: "high",
    remediationSteps:
      "Pass { protect: true } in the resource options; remove forceDestroy: true from buckets and closeOnDeletion: true from accounts. To retire such a resource, unprotect it in its own reviewed change.",
    controls: [],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      types: z
        .array(z.string())
        .default([...PROTECTED_TYPES_DEFAULT])
        .describe("Resource type tokens that must be protected."),
      exemptNames: z.array(z.string()).default([]).describe("Pulumi resource names exempted on purpose."),
    }),
  },
  PROTECTED_TYPES_DEFAULT,
  (r, cfg) => protectedResource(r.type, r.name, r.protect, r.props, cfg),
);
