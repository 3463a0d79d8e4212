import { objectArn, organizationArn, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import { DEFECT_KINDS, type Defect } from "../../integrity/defects";
import type { ObservedState } from "../../model";
import { failureAdvice, finding, type CheckContext } from "../common";

export const metadata: CheckMetadata = {
  id: "trail-log-integrity",
  title: "Every CloudTrail log file and digest of the window is intact (digest chain validated)",
  area: "trail",
  severity: "CRITICAL",
  // The pack cannot judge log files at preview: this judgment is the agent's alone.
  controls: [],
  risk: "A log file or digest that was changed, deleted or moved, or a chain that stops early, means the record of what happened in the organization can no longer be trusted: exactly what an intruder covering their tracks does.",
  remediation: {
    console:
      "Investigate at once: S3 console (log-archive account) → the archive bucket → the named object → Versions (Object Lock keeps the original version); CloudTrail console → Trails → the trail → check log file validation and the last digest delivery.",
    cli: "aws cloudtrail validate-logs --trail-arn <trail-arn> --account-id <account> --region <region> --start-time <from> --end-time <to> --verbose; npm run audit -- validate-logs --from <from> --to <to> --json",
    pulumi:
      "The baseline's trail sets enableLogFileValidation: true and the archive's Object Lock keeps every version; run `pulumi up` on the orgwarden stack if either drifted, then restore the object from its locked version.",
  },
  references: [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html",
  ],
};

const S3_URL = /^s3:\/\/([^/]+)\/(.*)$/;
const arnOf = (object: string): string => {
  const m = S3_URL.exec(object);
  return m ? objectArn(m[1], m[2]) : object;
};

function defectFinding(d: Defect, account: string, region: string): Finding {
  return finding(
    metadata,
    { account, region, resourceArn: arnOf(d.object) },
    {
      status: "FAIL",
      severity: DEFECT_KINDS[d.kind],
      intended: "every object the digest chain lists is where CloudTrail wrote it, unchanged, and the chain is whole",
      observed: { defect: d.kind, object: d.object, ...(d.span ? { span: d.span } : {}) },
      message: d.message,
    },
  );
}

/**
 * One finding per defect (the object named in its resource ARN), a PASS per account × region whose
 * chain is whole, and an ERROR where a read failed. Without audit.logAuditorRoleArn the check does
 * not run and says so: only a log auditor may read and decrypt the logs, never the read role.
 */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const org = { account: "-", region: "global", resourceArn: organizationArn(intended.organization) };
  if (!intended.audit.logAuditorRoleArn && intended.controlTower) {
    return [
      finding(metadata, org, {
        status: "NOT_APPLICABLE",
        intended: "a log auditor the archive bucket policy admits validates the digest chain",
        observed: "the archive is AWS Control Tower's bucket; the manifest names no log auditor role",
        message: `Log file integrity was not validated: ${intended.archive.bucketName} is AWS Control Tower's bucket, whose policy admits no reader orgwarden could add (its mandatory control lets only ${intended.controlTower.executionRoleName} change it), so infra lays no log auditor under controlTower (docs/control-tower.md). Validate the digest chain with a role Control Tower's bucket policy and the landing zone key admit, and set audit.logAuditorRoleArn to it.`,
      }),
    ];
  }
  if (!intended.audit.logAuditorRoleArn) {
    return [
      finding(metadata, org, {
        status: "NOT_APPLICABLE",
        intended: "audit.logAuditorRoleArn names the log auditor role that validates the digest chain",
        observed: "audit.logAuditorRoleArn is not set",
        message:
          "Log file integrity was not validated: the manifest names no log auditor role (audit.logAuditorRoleArn), and the audit read role may not read or decrypt the logs. Set audit.logAuditorRoleArn to validate the digest chain nightly.",
      }),
    ];
  }
  const integrity = observed.integrity;
  if (!integrity) {
    const f = finding(metadata, org, {
      status: "ERROR",
      intended: intended.audit.logAuditorRoleArn,
      observed: "not collected",
      message:
        "Log file integrity: not evaluated, because the digest chains were not collected. Report this as a bug of the audit agent.",
    });
    return [
      {
        ...f,
        error: {
          name: "NotCollected",
          operation: "collect:integrity",
          message: "no integrity observation",
          kind: "other",
        },
      },
    ];
  }
  const span = `${integrity.window.from} to ${integrity.window.to}`;
  return integrity.scopes.flatMap((s): Finding[] => {
    const scope = {
      account: s.account,
      region: s.region,
      resourceArn: arnOf(
        `s3://${intended.archive.bucketName}/AWSLogs/${intended.organization.id}/${s.account}/CloudTrail-Digest/${s.region}/`,
      ),
    };
    if (!s.result.ok) {
      const err = s.result.error;
      const advice =
        err.kind === "access-denied" && err.operation === "AssumeRole"
          ? // The role trusts only the audit agent's role (baseline/log-auditor-policy.ts): a run from an operator's credentials lands here.
            `the log auditor role ${integrity.roleArn} could not be assumed (${err.name}: ${err.message}); its trust admits only the audit agent's role in the security account ${intended.organization.securityAccountId}, so a run from other credentials cannot validate the digest chain: run the audit as that role (the nightly run does), or validate a copy of the archive with \`npm run audit -- validate-logs\` as a principal the log key's policy lets decrypt`
          : err.kind === "access-denied"
            ? `${err.operation} was denied to the log auditor role ${integrity.roleArn} (${err.name}: ${err.message}); it needs s3:GetObject and s3:ListBucket on the archive, kms:Decrypt under the key policy and cloudtrail:ListPublicKeys`
            : failureAdvice(err);
      const f = finding(metadata, scope, {
        status: "ERROR",
        intended: `digest chain of ${span} validated`,
        observed: `not read: ${err.operation} failed with ${err.name}`,
        message: `Log file integrity from ${span}: not evaluated, because ${advice}.`,
      });
      return [
        {
          ...f,
          error: {
            name: err.name,
            operation: err.operation,
            message: err.message,
            kind: err.kind,
            ...(err.attempts !== undefined ? { attempts: err.attempts } : {}),
          },
        },
      ];
    }
    const v = s.result.value;
    if (v.defects.length > 0) return v.defects.map((d) => defectFinding(d, s.account, s.region));
    return [
      finding(metadata, scope, {
        status: "PASS",
        intended: `digest chain of ${span} validated`,
        observed: { digestsVerified: v.digestsVerified, logsVerified: v.logsVerified },
        message: `Digest chain from ${span} is whole: ${v.digestsVerified} digests and ${v.logsVerified} log files verified.`,
      }),
    ];
  });
}
