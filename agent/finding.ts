/** The unit of every report. A check never returns nothing: it returns PASS, FAIL, ERROR or NOT_APPLICABLE findings. */
export type FindingStatus = "PASS" | "FAIL" | "ERROR" | "NOT_APPLICABLE";
export type Severity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL";

export const SEVERITY_ORDER: Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];

export interface Remediation {
  console: string;
  cli: string;
  pulumi: string;
}

export interface CheckMetadata {
  /** Equals the check's file name, e.g. "trail-logging". */
  id: string;
  title: string;
  area: "organization" | "trail" | "archive" | "kms" | "detection";
  severity: Severity;
  risk: string;
  remediation: Remediation;
  references: string[];
}

export interface Finding {
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
  /** For ERROR findings: the AWS error name (e.g. AccessDeniedException) and the call that failed. */
  error?: { name: string; operation: string; message: string };
}
