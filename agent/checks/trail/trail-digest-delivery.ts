import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import type { CheckContext } from "../common";
import { evaluateDelivery } from "../delivery";
import { findIntendedTrail } from "../trail-lookup";

export const metadata: CheckMetadata = {
  id: "trail-digest-delivery",
  title: "The organization trail delivered digest files recently and without error",
  area: "trail",
  severity: "MEDIUM",
  risk: "Digest files are what proves a log file was not altered or deleted; without fresh digests, log file validation proves nothing for the recent past.",
  remediation: {
    console:
      'CloudTrail console (management account, home region) → Trails → the trail → Edit → Log file validation: Enabled; then check "Last digest file delivered".',
    cli: "aws cloudtrail update-trail --name <trail> --enable-log-file-validation; aws cloudtrail get-trail-status --name <trail-arn> --query '{t:LatestDigestDeliveryTime,e:LatestDigestDeliveryError}'",
    pulumi:
      "The baseline's aws.cloudtrail.Trail sets enableLogFileValidation: true; run `pulumi up` on the orgwarden stack to restore it.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
  ],
};

/**
 * The baseline always intends log file validation (the manifest has no switch for it), so a trail
 * with no digest time fails, and the message says why when validation itself is off. Digests come
 * once an hour, so they are judged against thresholds.digestMaxAgeMinutes, not the log delivery
 * threshold, which a healthy trail's newest digest exceeds for part of every hour.
 */
export function evaluate(observed: ObservedState, intended: AuditManifest, ctx: CheckContext): Finding[] {
  const validationOff = (o: ObservedState): string[] => {
    const trail = findIntendedTrail(o.cloudTrail.trails.ok ? o.cloudTrail.trails.value : [], intended);
    return trail && !trail.logFileValidationEnabled
      ? ["log file validation is intended but disabled, so no digest files are written; enable it"]
      : [];
  };
  return evaluateDelivery(
    metadata,
    observed,
    intended,
    ctx,
    "digest",
    (s) => ({
      time: s.latestDigestDeliveryTime,
      error: s.latestDigestDeliveryError,
      missingNote: "although log file validation is intended, which writes a digest file every hour",
    }),
    validationOff,
    intended.thresholds.digestMaxAgeMinutes,
  );
}
