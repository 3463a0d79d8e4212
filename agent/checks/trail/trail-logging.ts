import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { cloudtrailLogging, known } from "../../../baseline/controls";
import { blocked, finding, type CheckContext } from "../common";
import { findIntendedTrail, missingTrailMessage, trailScope } from "../trail-lookup";

export const metadata: CheckMetadata = {
  id: "trail-logging",
  title: "The organization trail exists and is logging",
  area: "trail",
  severity: "CRITICAL",
  risk: "A stopped or deleted trail records nothing: API activity in every account of the organization goes unseen from that moment on.",
  remediation: {
    console:
      "CloudTrail console (management account, trail home region) → Trails → the trail → Start logging (or create the trail if it is gone).",
    cli: "aws cloudtrail start-logging --name <trail-arn> --region <home-region>",
    pulumi:
      "The baseline's aws.cloudtrail.Trail sets enableLogging: true; run `pulumi up` on the orgwarden stack to re-create or restart it.",
  },
  controls: ["cloudtrail-logging"],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html",
    "https://www.cisecurity.org/benchmark/amazon_web_services",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = trailScope(intended);
  const want = { trailArn: intended.trail.arn, isLogging: true };
  const stop = blocked(metadata, observed, scope, want, observed.cloudTrail.trails, observed.cloudTrail.status);
  if (stop) return [stop];
  const trail = findIntendedTrail(observed.cloudTrail.trails.ok ? observed.cloudTrail.trails.value : [], intended);
  const status = observed.cloudTrail.status.ok ? observed.cloudTrail.status.value : undefined;
  if (!trail || !status)
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: want,
        observed: null,
        message: missingTrailMessage(intended),
      }),
    ];
  const logging = cloudtrailLogging.judge({ isLogging: known(status.isLogging) }).passed;
  return [
    finding(metadata, scope, {
      status: logging ? "PASS" : "FAIL",
      intended: want,
      observed: { trailArn: trail.arn, isLogging: status.isLogging },
      message: logging
        ? `Trail ${trail.name} is logging.`
        : `Trail ${trail.name} exists but is not logging: no API activity is being recorded. Start it (aws cloudtrail start-logging --name ${trail.arn}).`,
    }),
  ];
}
