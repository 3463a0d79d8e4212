import { trailsCoverStack } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";

export const cloudtrailMultiRegionLogging = stackPolicy(
  {
    name: "cloudtrail-multi-region-logging",
    description:
      "Checks that every trail is multi-region, records global service events and keeps logging on, and that an organization trail exists where the stack manages the organization.",
    severity: "critical",
    framework: cis("3.0.0", "3.1", "Ensure CloudTrail is enabled in all regions"),
    remediationSteps:
      "On the aws.cloudtrail.Trail set isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogging: true; in the management account set isOrganizationTrail: true.",
    controls: [
      "cloudtrail-multi-region",
      "cloudtrail-global-service-events",
      "cloudtrail-logging",
      "cloudtrail-organization-trail",
    ],
    enforcementLevel: "mandatory",
  },
  (resources) => trailsCoverStack(resources),
);
