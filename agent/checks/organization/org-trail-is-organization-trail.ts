import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { cloudtrailOrganizationTrail, known } from "../../../baseline/controls";
import { blocked, finding, type CheckContext } from "../common";
import { findIntendedTrail, missingTrailMessage, trailScope } from "../trail-lookup";

export const metadata: CheckMetadata = {
  id: "org-trail-is-organization-trail",
  title: "The management account's trail is the organization trail",
  area: "organization",
  severity: "HIGH",
  risk: "A trail that is not an organization trail records the management account only: activity in every member account goes unrecorded.",
  remediation: {
    console:
      'CloudTrail console (management account, trail home region) → Trails → the trail → Edit → enable "Enable for all accounts in my organization".',
    cli: "aws cloudtrail update-trail --name <trail> --is-organization-trail --region <home-region>",
    pulumi:
      "The baseline's aws.cloudtrail.Trail sets isOrganizationTrail: true; run `pulumi up` on the orgwarden stack to restore it.",
  },
  controls: ["cloudtrail-organization-trail"],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = trailScope(intended);
  const want = { trailArn: intended.trail.arn, isOrganizationTrail: true };
  const stop = blocked(metadata, observed, scope, want, observed.cloudTrail.trails);
  if (stop) return [stop];
  const trail = findIntendedTrail(observed.cloudTrail.trails.ok ? observed.cloudTrail.trails.value : [], intended);
  if (!trail)
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: want,
        observed: null,
        message: missingTrailMessage(intended),
      }),
    ];
  const have = { trailArn: trail.arn, isOrganizationTrail: trail.isOrganizationTrail };
  const org = cloudtrailOrganizationTrail.judge({ isOrganizationTrail: known(trail.isOrganizationTrail) }).passed;
  return [
    finding(metadata, scope, {
      status: org ? "PASS" : "FAIL",
      intended: want,
      observed: have,
      message: org
        ? `Trail ${trail.name} is the organization trail.`
        : `Trail ${trail.name} is not an organization trail, so member accounts are not recorded; set IsOrganizationTrail to true.`,
    }),
  ];
}
