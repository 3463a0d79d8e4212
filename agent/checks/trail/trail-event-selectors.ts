import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { cloudtrailDataEvents, cloudtrailManagementEvents, known } from "../../../baseline/controls";
import { blocked, finding, type CheckContext } from "../common";
import { missingTrailMessage, trailScope } from "../trail-lookup";

export const metadata: CheckMetadata = {
  id: "trail-event-selectors",
  title: "The organization trail records management read and write events and the configured data events",
  area: "trail",
  severity: "HIGH",
  risk: "Event selectors can silently narrow a logging trail: write-only management events hide reconnaissance, and missing S3 or Lambda data events hide object reads and function invocations the baseline meant to record.",
  remediation: {
    console:
      "CloudTrail console (management account, home region) → Trails → the trail → Management events: Read and Write; Data events: the S3 and Lambda selectors the baseline configures.",
    cli: "aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors file://<intended-file>",
    pulumi:
      "The baseline's aws.cloudtrail.Trail sets advancedEventSelectors (management events, plus data events per the stack config); run `pulumi up` on the orgwarden stack.",
    document: "event-selectors",
  },
  controls: ["cloudtrail-management-events", "cloudtrail-data-events"],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = trailScope(intended);
  const want = {
    managementRead: true,
    managementWrite: true,
    s3DataEvents: intended.trail.dataEvents.s3,
    lambdaDataEvents: intended.trail.dataEvents.lambda,
  };
  const stop = blocked(metadata, observed, scope, want, observed.cloudTrail.eventSelectors);
  if (stop) return [stop];
  const have = observed.cloudTrail.eventSelectors.ok ? observed.cloudTrail.eventSelectors.value : undefined;
  if (!have)
    return [
      finding(metadata, scope, {
        status: "FAIL",
        intended: want,
        observed: null,
        message: missingTrailMessage(intended),
      }),
    ];
  const management = cloudtrailManagementEvents.judge({
    managementRead: known(have.managementRead),
    managementWrite: known(have.managementWrite),
  });
  const data = cloudtrailDataEvents.judge(
    { s3DataEvents: known(have.s3DataEvents), lambdaDataEvents: known(have.lambdaDataEvents) },
    { s3: want.s3DataEvents, lambda: want.lambdaDataEvents },
  );
  const WORDS: Record<string, string> = {
    managementRead: "management read events are not recorded",
    managementWrite: "management write events are not recorded",
    s3DataEvents: "S3 data events are intended but not recorded",
    lambdaDataEvents: "Lambda data events are intended but not recorded",
  };
  const problems = [...management.gaps, ...data.gaps].map((g) => WORDS[g.field]);
  return [
    finding(metadata, scope, {
      status: problems.length === 0 ? "PASS" : "FAIL",
      intended: want,
      observed: have,
      message:
        problems.length === 0
          ? "The trail records management read and write events and every intended data event."
          : `The trail's event selectors are narrower than intended: ${problems.join("; ")}. Restore the intended selectors.`,
    }),
  ];
}
