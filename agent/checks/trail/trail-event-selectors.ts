import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { cloudtrailDataEvents, cloudtrailManagementEvents, known } from "../../../baseline/controls";
import {
  describeSelectorGaps,
  intendedTrailSelectors,
  selectorGaps,
  type EventSelectorModel,
} from "../../../baseline/event-selectors";
import { blocked, finding, type CheckContext } from "../common";
import { missingTrailMessage, trailScope } from "../trail-lookup";

export const metadata: CheckMetadata = {
  id: "trail-event-selectors",
  title:
    "The organization trail records every management event (read and write, every event source) and the configured data events",
  area: "trail",
  severity: "HIGH",
  risk: "Event selectors can silently narrow a logging trail: write-only management events hide reconnaissance, an excluded event source (a selector with eventSource NotEquals kms.amazonaws.com next to eventCategory = Management) hides everything done through it, and missing S3 or Lambda data events hide object reads and function invocations the baseline meant to record.",
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

/** The intended data selectors of one resource type. */
function dataSelectors(all: EventSelectorModel[], type: string): EventSelectorModel[] {
  return all.filter((s) => s.fieldSelectors.some((f) => f.field === "resources.type" && f.equals?.includes(type)));
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const scope = trailScope(intended);
  const want = intendedTrailSelectors({
    s3DataEvents: intended.trail.dataEvents.s3,
    lambdaDataEvents: intended.trail.dataEvents.lambda,
    logBucketNames: [intended.archive.bucketName, intended.archive.accessLogBucketName],
  });
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
  const management = cloudtrailManagementEvents.judge({ selectors: known(have.selectors) }, undefined);
  const s3 = selectorGaps(dataSelectors(want, "AWS::S3::Object"), have.selectors);
  const lambda = selectorGaps(dataSelectors(want, "AWS::Lambda::Function"), have.selectors);
  const proven = (g: typeof s3) => g.cubes.length === 0 && g.tooComplex === undefined;
  const data = cloudtrailDataEvents.judge(
    { s3DataEvents: known(proven(s3)), lambdaDataEvents: known(proven(lambda)) },
    { s3: intended.trail.dataEvents.s3, lambda: intended.trail.dataEvents.lambda },
  );
  const problems = [
    ...management.gaps.map((g) => `not recorded: ${g.reason ?? "management events"}`),
    ...data.gaps.map((g) =>
      g.field === "s3DataEvents"
        ? `S3 object data events are intended but not all recorded: ${describeSelectorGaps(s3).join("; ")}`
        : `Lambda data events are intended but not all recorded: ${describeSelectorGaps(lambda).join("; ")}`,
    ),
  ];
  return [
    finding(metadata, scope, {
      status: problems.length === 0 ? "PASS" : "FAIL",
      intended: want,
      observed: have,
      message:
        problems.length === 0
          ? `The trail's ${have.kind} event selectors record every management event, read and write, from every event source, and every intended data event.`
          : `The trail's ${have.kind === "none" ? "(missing) " : have.kind + " "}event selectors are narrower than intended — ${problems.join("; ")}. Restore the intended selectors.`,
    }),
  ];
}
