import { bucketArn, cloudTrailPrefix, organizationArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { archiveScope } from "../archive-scope";
import { blocked, errorFinding, finding, freshness, minutesText, type CheckContext } from "../common";
import { auditedAccounts, auditedRegions, notCollected } from "../scope";

export const metadata: CheckMetadata = {
  id: "archive-delivery-freshness",
  title: "Every ACTIVE account has a recent CloudTrail log file in the archive, in every governed region",
  area: "archive",
  severity: "HIGH",
  risk: "A broken delivery shows no error anywhere, just missing logs: an account whose prefix stops growing, in any governed region, is an account whose activity there is no longer on record.",
  remediation: {
    console:
      "S3 console (log-archive account) → the archive bucket → AWSLogs/<org-id>/<account>/CloudTrail/<region>/ → check today's folder; then CloudTrail console → the organization trail's status and the account's membership of the organization.",
    cli: "aws s3api list-objects-v2 --bucket <archive-bucket> --prefix AWSLogs/<org-id>/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/ --query 'sort_by(Contents,&LastModified)[-1]'",
    pulumi:
      "Run `pulumi up` on the orgwarden stack to restore the organization trail, bucket policy and key policy; an account that left or joined the organization is covered once it is a member again.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html",
  ],
};

function judgeAccountRegion(o: ObservedState, m: AuditManifest, account: string, region: string, now: Date): Finding {
  // The baseline lays its own services (Config, GuardDuty, SSM) in every governed region of every account, and they call APIs there all the time, so a silent partition means broken delivery.
  const prefix = cloudTrailPrefix(m.organization.id, account, region);
  const scope = { account, region, resourceArn: `${bucketArn(m.archive.bucketName)}/${prefix}` };
  const max = m.thresholds.deliveryMaxAgeMinutes;
  const want = { prefix: `s3://${m.archive.bucketName}/${prefix}`, maxAge: minutesText(max) };
  const entry = o.archive.newestDeliveryByAccount[account]?.[region];
  if (!entry) return errorFinding(metadata, scope, notCollected(account, region), want);
  if (!entry.ok) return errorFinding(metadata, scope, entry.error, want);
  if (entry.value === undefined) {
    return finding(metadata, scope, {
      status: "FAIL",
      intended: want,
      observed: { newestObject: null },
      message: `No CloudTrail object in the last day under s3://${m.archive.bucketName}/${prefix}: account ${account} is not being recorded in ${region}. Check that it is still a member of the organization, that the trail is multi-region and that it can deliver.`,
    });
  }
  const f = freshness(entry.value, now, max);
  return finding(metadata, scope, {
    status: f.fresh ? "PASS" : "FAIL",
    intended: want,
    observed: { newestObject: entry.value, age: f.age, now: now.toISOString() },
    message: f.fresh
      ? `Account ${account}, ${region}: newest CloudTrail object ${f.age} old, within ${minutesText(max)}.`
      : `Account ${account}, ${region}: newest CloudTrail object under s3://${m.archive.bucketName}/${prefix} is ${f.age} old, older than the ${minutesText(max)} allowed; its logs are not arriving.`,
  });
}

export function evaluate(observed: ObservedState, intended: AuditManifest, ctx: CheckContext): Finding[] {
  const archive = archiveScope(intended);
  const stop = blocked(metadata, observed, archive, { maxAge: minutesText(intended.thresholds.deliveryMaxAgeMinutes) });
  if (stop) return [stop];
  const accounts = auditedAccounts(observed);
  if (!accounts.ok)
    return [
      errorFinding(
        metadata,
        { account: "-", region: "global", resourceArn: organizationArn(intended.organization) },
        accounts.error,
        "every ACTIVE account",
      ),
    ];
  if (accounts.value.length === 0) {
    return [
      finding(metadata, archive, {
        status: "NOT_APPLICABLE",
        intended: "every ACTIVE account",
        observed: [],
        message: "No ACTIVE account of the organization is in this run's scope, so no account's delivery was judged.",
      }),
    ];
  }
  const regions = auditedRegions(observed, intended);
  return accounts.value.flatMap((a) => regions.map((r) => judgeAccountRegion(observed, intended, a, r, ctx.now)));
}
