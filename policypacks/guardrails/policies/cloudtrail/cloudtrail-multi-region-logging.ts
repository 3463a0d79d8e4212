import { trailsCoverStack } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const cloudtrailMultiRegionLogging = stackPolicy<{ externalOrganizationTrailArn?: string }>(
  {
    name: "cloudtrail-multi-region-logging",
    description:
      "Checks that every trail is multi-region, records global service events and every management event (read and write, every event source), keeps logging on, and that an organization trail exists where the stack manages the organization.",
    severity: "critical",
    framework: cis("3.0.0", "3.1", "Ensure CloudTrail is enabled in all regions"),
    remediationSteps:
      "On the aws.cloudtrail.Trail set isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogging: true, and keep an event selector with eventCategory = Management and no readOnly, eventSource or eventName condition; in the management account set isOrganizationTrail: true.",
    controls: [
      "cloudtrail-multi-region",
      "cloudtrail-global-service-events",
      "cloudtrail-logging",
      "cloudtrail-organization-trail",
      "cloudtrail-management-events",
    ],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      externalOrganizationTrailArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[\w.-]+$/, "must be a CloudTrail trail ARN")
        .optional()
        .describe(
          "The organization trail the stack relies on but does not lay (an AWS Control Tower landing zone's, orgwarden's controlTower.enabled); the audit agent judges it.",
        ),
    }),
  },
  (resources, cfg) => trailsCoverStack(resources, cfg.externalOrganizationTrailArn),
);
