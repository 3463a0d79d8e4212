import { AdminPortsConfig, noWorldAdminPorts, SG_TYPES } from "../../../../baseline/rules";
import { cis, resourcePolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const ec2NoAdminPortsOpen = resourcePolicy<AdminPortsConfig>(
  {
    name: "ec2-no-admin-ports-open",
    description: "Checks that security groups do not open remote administration ports (22, 3389) to 0.0.0.0/0 or ::/0.",
    severity: "high",
    framework: cis(
      "3.0.0",
      "5.3",
      "Ensure no security groups allow ingress from 0.0.0.0/0 (5.4: ::/0) to remote server administration ports",
    ),
    remediationSteps: "Restrict the ingress to known CIDRs or security groups, or drop it and use SSM Session Manager.",
    controls: [],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      ports: z
        .array(z.int().min(0).max(65535))
        .min(1)
        .default([22, 3389])
        .describe("Ports that must never be open to the world."),
    }),
  },
  [SG_TYPES.group, SG_TYPES.rule, SG_TYPES.ingressRule],
  (r, cfg) => noWorldAdminPorts(r.type, r.props, cfg),
);
