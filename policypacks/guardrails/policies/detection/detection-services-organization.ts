import { DetectionConfig, detectionServices } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const detectionServicesOrganization = stackPolicy<DetectionConfig>(
  {
    name: "detection-services-organization",
    description:
      "Checks that GuardDuty, Security Hub and Inspector are enabled with a delegated administrator and auto-enabled for the organization's accounts.",
    severity: "high",
    framework: cis("3.0.0", "4.16", "Ensure AWS Security Hub is enabled"),
    remediationSteps:
      "In the management account delegate each service to the security account (OrganizationAdminAccount / DelegatedAdminAccount); in the security account add the OrganizationConfiguration with auto-enable for all members.",
    controls: ["guardduty-enabled", "securityhub-enabled", "inspector-scanning"],
    enforcementLevel: "advisory",
    configSchema: policyConfig({
      services: z
        .array(z.enum(["guardduty", "securityhub", "inspector"]))
        .default(["guardduty", "securityhub", "inspector"])
        .describe("Services that must be organization-wide."),
      guardDutyAutoEnable: z
        .array(z.enum(["ALL", "NEW", "NONE"]))
        .default(["ALL"])
        .describe("Accepted autoEnableOrganizationMembers values."),
      inspectorAutoEnable: z
        .array(z.enum(["ec2", "ecr", "lambda", "lambdaCode"]))
        .default(["ec2", "ecr"])
        .describe("Inspector scan types that must be auto-enabled."),
    }),
  },
  (resources, cfg) => detectionServices(resources, cfg),
);
