/**
 * report.ocsf.json: one OCSF 1.5 Compliance Finding (class_uid 2003, category Findings 2) per
 * finding, for SIEMs and Amazon Security Lake; the class and its attributes are those of
 * https://schema.ocsf.io/1.5.0/classes/compliance_finding, with the cloud profile
 * (https://schema.ocsf.io/1.5.0/profiles/cloud) for the AWS account and region.
 */
import { CONTROLS } from "../../baseline/controls";
import { CHECKS } from "../checks/registry";
import type { AuditResult, CheckMetadata, Finding, FindingStatus, Severity } from "../finding";
import { accountName } from "./accounts";
import { findingIds, stableFindingId } from "./asff";
import { changeOf, type FindingChange } from "./diff";

export const OCSF_VERSION = "1.5.0";
const CLASS_UID = 2003;
const CATEGORY_UID = 2;
/**
 * activity_id (type_uid = class_uid × 100 + activity_id): against the previous run (result.changes),
 * a finding that became failing is 1 Create, one still failing or changed is 2 Update, one resolved
 * (failing before, passing now) is 3 Close. Without a previous run each record is 1 Create: the run
 * reports the state it observed.
 */
const ACTIVITY: Record<FindingChange["kind"] | "observed", { id: number; name: string }> = {
  observed: { id: 1, name: "Create" },
  new: { id: 1, name: "Create" },
  "still failing": { id: 2, name: "Update" },
  changed: { id: 2, name: "Update" },
  resolved: { id: 3, name: "Close" },
};

/** severity_id: 1 Informational … 5 Critical (the class's severity_id enum). */
const SEVERITY_ID: Record<Severity, number> = { INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

/**
 * compliance.status_id (the Compliance object): 1 Pass, 2 Warning "did not yield a result due to
 * missing information" (our ERROR), 3 Fail; NOT_APPLICABLE has no value of its own: 99 Other, with
 * the status text saying which.
 */
const COMPLIANCE_STATUS: Record<FindingStatus, { status_id: number; status: string }> = {
  PASS: { status_id: 1, status: "Pass" },
  ERROR: { status_id: 2, status: "Warning" },
  FAIL: { status_id: 3, status: "Fail" },
  NOT_APPLICABLE: { status_id: 99, status: "Not Applicable" },
};

const metadataById = new Map<string, CheckMetadata>(CHECKS.map((c) => [c.metadata.id, c.metadata]));

/** The CIS recommendations of the check's controls: compliance.standards and requirements. */
function standardsOf(meta: CheckMetadata | undefined): { standards: string[]; requirements: string[] } {
  const refs = CONTROLS.filter((c) => meta?.controls.includes(c.meta.id)).flatMap((c) => c.meta.cis);
  if (refs.length === 0) return { standards: ["orgwarden baseline"], requirements: [] };
  return {
    standards: [...new Set(refs.map((r) => `CIS AWS Foundations Benchmark v${r.version}`))],
    requirements: [...new Set(refs.map((r) => r.id))],
  };
}

export function toOcsf(result: AuditResult, f: Finding, id = stableFindingId(f)): Record<string, unknown> {
  const meta = metadataById.get(f.checkId);
  const time = Date.parse(result.now);
  const account = /^\d{12}$/.test(f.account) ? f.account : result.securityAccountId;
  const region = f.region === "global" ? result.homeRegion : f.region;
  const change = changeOf(result.changes, f.id);
  const activity = ACTIVITY[change?.kind ?? "observed"];
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: CATEGORY_UID,
    category_name: "Findings",
    class_uid: CLASS_UID,
    class_name: "Compliance Finding",
    type_uid: CLASS_UID * 100 + activity.id,
    type_name: `Compliance Finding: ${activity.name}`,
    severity_id: SEVERITY_ID[f.severity],
    severity: f.severity.charAt(0) + f.severity.slice(1).toLowerCase(),
    // status_id is "set by the consumer" (New until someone reviews it); the evaluation is compliance.status.
    status_id: 1,
    status: "New",
    time,
    time_dt: result.now,
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: "orgwarden", vendor_name: "orgwarden", uid: "orgwarden-audit" },
      profiles: ["cloud"],
      event_code: f.checkId,
      correlation_uid: result.runId,
    },
    finding_info: {
      uid: id,
      title: meta?.title ?? f.checkId,
      desc: f.message,
      types: [meta?.area ?? "orgwarden"],
      created_time: time,
      ...(change?.firstSeen ? { first_seen_time: Date.parse(change.firstSeen), last_seen_time: time } : {}),
    },
    compliance: {
      ...COMPLIANCE_STATUS[f.status],
      control: f.checkId,
      ...standardsOf(meta),
      ...(f.error ? { status_detail: `${f.error.operation}: ${f.error.name}: ${f.error.message}` } : {}),
    },
    resources: [
      {
        uid: f.resourceArn || `arn:aws:::${account ?? ""}`,
        type: f.resourceArn.startsWith("arn:") ? f.resourceArn.split(":")[2] : "account",
        region,
        cloud_partition: f.resourceArn.startsWith("arn:") ? f.resourceArn.split(":")[1] : "aws",
      },
    ],
    cloud: {
      provider: "AWS",
      region,
      // The account's Organizations name when the run knows it, else its id (name is the field a SIEM shows).
      account: {
        uid: account,
        name: (account && accountName(result, account)) ?? account,
        type_id: 10,
        type: "AWS Account",
      },
    },
    remediation: {
      desc: [f.remediation.console, f.remediation.cli].filter((s) => s).join(" | ") || "See the orgwarden report.",
      references: meta?.references ?? [],
    },
    unmapped: { orgwarden: { status: f.status, stack: result.stack, organization_id: result.organizationId } },
  };
}

/** A JSON array of Compliance Finding records, one per finding. */
export function renderOcsf(result: AuditResult): string {
  const ids = findingIds(result.findings);
  return `${JSON.stringify(
    result.findings.map((f, i) => toOcsf(result, f, ids[i])),
    null,
    2,
  )}\n`;
}
