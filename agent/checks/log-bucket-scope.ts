/**
 * What the log-bucket checks (agent/checks/log-buckets/) share: which buckets each judges, where a
 * bucket is, and the ERROR findings that stand in for a bucket the manifest does not describe or
 * the run did not read — never a PASS on something never read, never a bucket silently skipped.
 */
import {
  bucketArn,
  LOG_BUCKET_ROLE_NAMES,
  type AuditManifest,
  type LogBucketIntent,
  type LogBucketRole,
} from "../../baseline";
import type { CheckMetadata, Finding } from "../finding";
import type { ObservedLogBucket, ObservedState } from "../model";
import { blocked, finding, type Scope } from "./common";
import type { Collected } from "../model";

/**
 * The buckets infra lays in every stack; the flow-log and DNS query-log buckets only with
 * network.flowLogs / network.dnsQueryLogs enabled, the Athena query-results bucket only with athena.enabled.
 */
const ALWAYS_LAID: readonly LogBucketRole[] = ["archive", "access-log", "config", "report"];

export interface LogBucketSubject {
  intent: LogBucketIntent;
  observed: ObservedLogBucket;
  scope: Scope;
  /** "the Config bucket orgwarden-prod-config-…", for messages. */
  label: string;
}

export const labelOf = (b: Pick<LogBucketIntent, "role" | "bucketName">) =>
  `the ${LOG_BUCKET_ROLE_NAMES[b.role]} ${b.bucketName}`;

/**
 * The subjects of one check — the manifest's buckets of the given roles, each with its reading —
 * and the findings for those that cannot be judged. `wanted` says whether a bucket's intent asks
 * this check anything (e.g. only access-logged buckets for the access-logging check).
 */
export function logBucketSubjects(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
  roles: readonly LogBucketRole[],
  wanted: (b: LogBucketIntent) => boolean = () => true,
): { subjects: LogBucketSubject[]; findings: Finding[] } {
  const home = { account: m.organization.logArchiveAccountId, region: m.regions.home };
  if (!m.logBuckets) {
    return {
      subjects: [],
      findings: [
        finding(
          meta,
          { ...home, resourceArn: "arn:aws:s3:::*" },
          {
            status: "ERROR",
            intended: `the ${roles.map((r) => LOG_BUCKET_ROLE_NAMES[r]).join(", ")} as the manifest's logBuckets describe them`,
            observed: "not evaluated: the manifest has no logBuckets",
            message: `${meta.title}: not evaluated, because the audit manifest has no logBuckets section (it was published by an orgwarden that did not describe its log buckets). Run \`pulumi up\` on the stack to republish the manifest.`,
          },
        ),
      ],
    };
  }
  const subjects: LogBucketSubject[] = [];
  const findings: Finding[] = [];
  for (const role of roles) {
    const intent = m.logBuckets.find((b) => b.role === role);
    const expected =
      ALWAYS_LAID.includes(role) ||
      (role === "flow-log" && m.flowLogs !== undefined) ||
      (role === "dns-query-log" && m.dnsQueryLogs !== undefined) ||
      (role === "athena-results" && m.athena !== undefined);
    if (!intent) {
      // Under Control Tower the archive is the landing zone's bucket, with the lifecycle and access logging Control Tower gives it (docs/control-tower.md).
      if (role === "archive" && m.controlTower) {
        findings.push(
          finding(
            meta,
            {
              account: m.organization.logArchiveAccountId,
              region: m.regions.home,
              resourceArn: bucketArn(m.archive.bucketName),
            },
            {
              status: "NOT_APPLICABLE",
              intended:
                "none: Control Tower's log-archive bucket keeps the lifecycle and access logging Control Tower gives it",
              observed: "not judged",
              message: `${meta.title}: not judged for Control Tower's log-archive bucket ${m.archive.bucketName}: its lifecycle and access logging are Control Tower's, changed only through the landing zone's settings (archive-object-lock and archive-versioning still judge it).`,
            },
          ),
        );
        continue;
      }
      if (expected)
        findings.push(
          finding(
            meta,
            { ...home, resourceArn: "arn:aws:s3:::*", key: role },
            {
              status: "ERROR",
              intended: `the ${LOG_BUCKET_ROLE_NAMES[role]}`,
              observed: "not described by the manifest",
              message: `${meta.title}: not evaluated for the ${LOG_BUCKET_ROLE_NAMES[role]}, because the audit manifest's logBuckets do not describe it. Run \`pulumi up\` on the stack to republish the manifest.`,
            },
          ),
        );
      continue;
    }
    if (!wanted(intent)) continue;
    const scope: Scope = {
      account: intent.accountId,
      region: intent.region,
      resourceArn: bucketArn(intent.bucketName),
    };
    const observed = o.logBuckets?.find((b) => b.role === role && b.bucketName === intent.bucketName);
    if (!observed) {
      findings.push(
        finding(meta, scope, {
          status: "ERROR",
          intended: intent.bucketName,
          observed: "not collected",
          message: `${meta.title}: not evaluated for ${labelOf(intent)}, because the observed state holds no reading of it. Run the audit with an agent that collects the log buckets.`,
        }),
      );
      continue;
    }
    subjects.push({ intent, observed, scope, label: labelOf(intent) });
  }
  return { subjects, findings };
}

/**
 * Runs `judge` on each subject whose pieces were read; a subject whose account could not be
 * entered or whose piece failed is ERROR. Never returns nothing: a check with no bucket to judge
 * says so (NOT_APPLICABLE, with the reason).
 */
export function judgeLogBuckets(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
  roles: readonly LogBucketRole[],
  piece: (b: ObservedLogBucket) => Collected<unknown>,
  intended: (s: LogBucketSubject) => unknown,
  judge: (s: LogBucketSubject) => Finding,
  wanted?: (b: LogBucketIntent) => boolean,
): Finding[] {
  const { subjects, findings } = logBucketSubjects(meta, o, m, roles, wanted);
  for (const s of subjects) findings.push(blocked(meta, o, s.scope, intended(s), piece(s.observed)) ?? judge(s));
  return orNotApplicable(meta, m, findings);
}

/** The findings, or — when no bucket was there to judge — one NOT_APPLICABLE saying so: a check never returns nothing. */
export function orNotApplicable(meta: CheckMetadata, m: AuditManifest, findings: Finding[]): Finding[] {
  if (findings.length > 0) return findings;
  return [
    finding(
      meta,
      { account: m.organization.logArchiveAccountId, region: m.regions.home, resourceArn: "arn:aws:s3:::*" },
      {
        status: "NOT_APPLICABLE",
        intended: null,
        observed: null,
        message: `${meta.title}: not applicable, the audit manifest describes no bucket this check judges.`,
      },
    ),
  ];
}

/** ERROR: the bucket's manifest entry lacks what this check compares with (a manifest from another orgwarden). */
export function manifestLacks(meta: CheckMetadata, s: LogBucketSubject, field: string): Finding {
  return finding(meta, s.scope, {
    status: "ERROR",
    intended: `logBuckets[].${field}`,
    observed: "not in the manifest",
    message: `${meta.title}: not evaluated for ${s.label}, because its logBuckets entry in the audit manifest has no ${field}. Run \`pulumi up\` on the stack to republish the manifest.`,
  });
}

export const capitalised = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
