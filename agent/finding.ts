/** The unit of every report. A check never returns nothing: it returns PASS, FAIL, ERROR or NOT_APPLICABLE findings. */
import type { ErrorKind } from "./model";
import type { AccountDirectory } from "./report/accounts";
import type { RunChanges } from "./report/diff";
export type FindingStatus = "PASS" | "FAIL" | "ERROR" | "NOT_APPLICABLE";
export type Severity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL";

export const SEVERITY_ORDER: Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];

/** A document a remediation command reads (`file://<intended-file>`): see agent/report/intended.ts. */
export type IntendedDocumentKind =
  | "bucket-policy"
  | "key-policy"
  | "scp"
  | "event-selectors"
  /** The log-bucket-* checks: the document of the bucket the finding names (agent/report/intended.ts logBucketDocument). */
  | "log-bucket-policy"
  | "log-bucket-encryption"
  | "log-bucket-lifecycle"
  | "log-bucket-logging"
  /** The iam-role-trust check: the trust policy of the role the finding names. */
  | "role-trust"
  /** alert-topics: the policy of the topic the finding names; event-bus-policy: the central bus's policy. */
  | "topic-policy"
  | "event-bus-policy";

export interface Remediation {
  console: string;
  /** May hold `<placeholders>` (`<archive-bucket>`, `<key-arn>`, …) that the report fills with the real names (agent/report/remediation.ts). */
  cli: string;
  pulumi: string;
  /** Declared by a check whose CLI command reads a document: which intended document `<intended-file>` stands for. */
  document?: IntendedDocumentKind;
  /** Set by the report: the file beside the report, relative to its directory ("intended/<name>.json"), that the command reads. */
  intendedFile?: string;
}

export interface CheckMetadata {
  /** Equals the check's file name, e.g. "trail-logging". */
  id: string;
  title: string;
  area:
    | "organization"
    | "trail"
    | "archive"
    | "kms"
    | "detection"
    | "log-buckets"
    | "iam-roles"
    | "detection-pipeline"
    | "stackset"
    | "audit-agent";
  severity: Severity;
  risk: string;
  remediation: Remediation;
  /** Ids of the baseline/controls this check judges through (empty when no control covers its subject); a test records the calls. */
  controls: string[];
  references: string[];
}

export interface Finding {
  /**
   * Stable across runs: findingId(checkId, account, region, resourceArn, key). Readable rather than a
   * hash, so a report reader and a diff can tell what it names; a fixed-length form, where a format
   * needs one (ASFF Id), is derived from it.
   */
  id: string;
  /** Tells apart two findings one check emits for one scope (e.g. "ownership"); absent when the check emits one. */
  key?: string;
  checkId: string;
  status: FindingStatus;
  severity: Severity;
  /** Account the finding is about ("-" when it spans the organization). */
  account: string;
  /** Region the finding is about ("global" for global services). */
  region: string;
  resourceArn: string;
  /** What the manifest intends, rendered for people (JSON-serialisable). */
  intended: unknown;
  /** What was observed (JSON-serialisable); for ERROR, what could not be read. */
  observed: unknown;
  message: string;
  remediation: Remediation;
  /**
   * For ERROR findings: the AWS error name (e.g. AccessDeniedException), the call that failed, what
   * kind of failure it was (see ErrorKind in agent/model.ts) and how many HTTP attempts the SDK made.
   * This agent always sets `kind`; reports written before it was added lack it.
   */
  error?: { name: string; operation: string; message: string; kind?: ErrorKind; attempts?: number };
  /** Set by a waiver (agent/waivers.ts): the status stays as evaluated, the finding no longer counts toward the exit code. */
  waived?: { reason: string; expires: string; approvedBy: string };
}

/** The id of a finding: its scope joined by "|" (no ARN, account id, region or check id contains it), then "#key". */
export function findingId(f: Pick<Finding, "checkId" | "account" | "region" | "resourceArn" | "key">): string {
  const base = [f.checkId, f.account, f.region, f.resourceArn].join("|");
  return f.key === undefined ? base : `${base}#${f.key}`;
}

/** Exit codes shared by the CLI and the Lambda handler's result. */
export const EXIT = { CLEAN: 0, DRIFT: 1, USAGE: 2, INCOMPLETE: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What runAudit() returns and every report renders. */
export interface AuditResult {
  /** Version of this shape as written to report.json; bump on breaking change. */
  reportSchemaVersion: 1;
  /** One UUID per run, carried by every report of the run (JSON, Markdown, HTML) and the report directory's marker. */
  runId: string;
  stack: string;
  organizationId: string;
  /** The manifest's security account and home region: where Security Hub receives the findings (ASFF ProductArn). Absent in reports written before they were added. */
  securityAccountId?: string;
  homeRegion?: string;
  /** ISO-8601; the clock the freshness checks used (--now, or the real time). */
  now: string;
  startedAt: string;
  finishedAt: string;
  /** The accounts and regions audited, and how many ACTIVE accounts the organization has (null: its account list could not be read). */
  scope: { accounts: string[]; regions: string[]; organizationAccounts: number | null };
  /** Run-level errors that make the run incomplete beyond single findings, e.g. "account list unreadable: …". */
  incomplete: string[];
  findings: Finding[];
  /**
   * Every account the organization lists and the three the manifest names: id → name and role
   * (accountDirectory). Absent in reports written before it was added.
   */
  accounts?: AccountDirectory;
  /**
   * The intended documents the remediation commands read, by file relative to the report directory
   * (a finding's remediation.intendedFile): written as those files beside the reports. Absent when no finding refers to one.
   */
  intendedDocuments?: Record<string, unknown>;
  /** Against the previous run of the stack (diffRuns); absent when the caller did not compare (e.g. runAudit alone). */
  changes?: RunChanges;
  /** EXIT.INCOMPLETE if any run-level error or unwaived ERROR finding, else EXIT.DRIFT if any unwaived FAIL, else EXIT.CLEAN. */
  exitCode: ExitCode;
}

export function exitCodeFor(all: Finding[], incomplete: string[] = []): ExitCode {
  // A waived finding was accepted by someone with a reason and an expiry: it is reported, not counted.
  const findings = all.filter((f) => f.waived === undefined);
  if (incomplete.length > 0 || findings.some((f) => f.status === "ERROR")) return EXIT.INCOMPLETE;
  if (findings.some((f) => f.status === "FAIL")) return EXIT.DRIFT;
  return EXIT.CLEAN;
}
