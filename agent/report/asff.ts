/**
 * report.asff.json: one AWS Security Finding Format document per finding, as Security Hub's
 * BatchImportFindings takes them (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html).
 * The product is a custom integration in the security account
 * (arn:aws:securityhub:<home region>:<security account>:product/<security account>/default), so
 * Security Hub accepts the import without a partner product subscription.
 */
import { createHash } from "node:crypto";
import type { AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import { CONTROLS } from "../../baseline/controls";
import { CHECKS } from "../checks/registry";
import type { AuditResult, CheckMetadata, Finding, FindingStatus } from "../finding";
import { accountName } from "./accounts";
import { changeOf } from "./diff";

export const ASFF_SCHEMA_VERSION = "2018-10-08";

/** What the ASFF syntax page allows: Title ≤ 256, Description ≤ 1024, Recommendation.Text ≤ 512 characters. */
const LIMITS = { title: 256, description: 1024, recommendation: 512 } as const;

/**
 * Compliance.Status, with the meanings AWS documents for it
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Compliance.html):
 * PASSED passed; FAILED failed; WARNING "some information is missing" — our ERROR, a read that
 * failed, so the result is unknown and needs attention; NOT_AVAILABLE "the check could not be
 * performed … or the result was NOT_APPLICABLE".
 */
const COMPLIANCE: Record<FindingStatus, "PASSED" | "FAILED" | "WARNING" | "NOT_AVAILABLE"> = {
  PASS: "PASSED",
  FAIL: "FAILED",
  ERROR: "WARNING",
  NOT_APPLICABLE: "NOT_AVAILABLE",
};

/** The ASFF finding-type taxonomy (namespace/category/classifier), from the "Types taxonomy" page of the ASFF docs. */
const CIS_TYPE = "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark";
const BEST_PRACTICE_TYPE = "Software and Configuration Checks/AWS Security Best Practices";

/**
 * The ASFF/OCSF id of a finding: derived from its stable `id` (check, account, region, resource and,
 * where one check judges one scope more than once, its key), so Security Hub updates the finding
 * run after run instead of adding a new one. Hashed to a fixed length: ASFF `Id` is limited to 512
 * characters and a resource ARN is not.
 */
export function stableFindingId(f: Pick<Finding, "checkId" | "account" | "region" | "id">): string {
  const digest = createHash("sha256").update(f.id).digest("hex").slice(0, 32);
  return `orgwarden/${f.checkId}/${f.account}/${f.region}/${digest}`;
}

/**
 * The ids of a result's findings, in order: the one helper every export takes ids from. Finding ids
 * are unique within a run (a test proves it over a full sandbox audit); two equal ones would make
 * Security Hub overwrite one finding with the other, so they are refused rather than renumbered.
 */
export function findingIds(findings: readonly Finding[]): string[] {
  const seen = new Set<string>();
  for (const f of findings) {
    if (seen.has(f.id))
      throw new Error(`two findings of one run share the id ${JSON.stringify(f.id)}; each needs its own key`);
    seen.add(f.id);
  }
  return findings.map(stableFindingId);
}

/** The custom-integration product of the security account (ASFF ProductArn for a finding the account produces itself). */
export function productArn(securityAccountId: string, homeRegion: string): string {
  return `arn:aws:securityhub:${homeRegion}:${securityAccountId}:product/${securityAccountId}/default`;
}

/** Where Security Hub receives the findings: the security account in the home region, from the result. */
export function securityHubTarget(result: AuditResult): { accountId: string; region: string } {
  if (!result.securityAccountId || !result.homeRegion)
    throw new Error(
      "the asff format needs the security account and home region of the audit (securityAccountId, homeRegion); " +
        "this AuditResult lacks them: re-run the audit with this version of the agent",
    );
  return { accountId: result.securityAccountId, region: result.homeRegion };
}

const metadataById = new Map<string, CheckMetadata>(CHECKS.map((c) => [c.metadata.id, c.metadata]));
const cisControls = new Set(CONTROLS.filter((c) => c.meta.cis.length > 0).map((c) => c.meta.id));

function typesOf(meta: CheckMetadata | undefined): string[] {
  const cis = meta?.controls.some((id) => cisControls.has(id)) ?? false;
  return cis ? [CIS_TYPE] : [BEST_PRACTICE_TYPE];
}

/** ASFF resource types (the "Resources" page of the ASFF docs) for the ARNs checks name; anything else is "Other". */
function resourceType(arn: string): string {
  const service = arn.split(":")[2];
  if (service === "cloudtrail") return "AwsCloudTrailTrail";
  if (service === "s3") return "AwsS3Bucket";
  if (service === "kms") return "AwsKmsKey";
  if (service === "logs") return "AwsLogsLogGroup";
  if (service === "iam" && arn.includes(":role/")) return "AwsIamRole";
  return arn.startsWith("arn:") ? "Other" : "AwsAccount";
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export function toAsff(result: AuditResult, f: Finding, id = stableFindingId(f)): AwsSecurityFinding {
  const target = securityHubTarget(result);
  const meta = metadataById.get(f.checkId);
  const account = /^\d{12}$/.test(f.account) ? f.account : target.accountId;
  const region = f.region === "global" ? target.region : f.region;
  const arn = f.resourceArn || `AWS::::Account:${account}`;
  const partition = f.resourceArn.startsWith("arn:") ? f.resourceArn.split(":")[1] : "aws";
  const recommendation = [f.remediation.console, f.remediation.cli].filter((s) => s).join(" | ");
  const url = meta?.references.find((r) => /^https:\/\//.test(r));
  const change = changeOf(result.changes, f.id);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: id,
    ProductArn: productArn(target.accountId, target.region),
    ProductName: "orgwarden",
    CompanyName: "orgwarden",
    GeneratorId: f.checkId,
    AwsAccountId: account,
    // The account's Organizations name (ASFF allows 1–50 characters; Organizations names are at most 50).
    ...(accountName(result, account) ? { AwsAccountName: clip(accountName(result, account)!, 50) } : {}),
    Region: target.region,
    Types: typesOf(meta),
    CreatedAt: result.now,
    UpdatedAt: result.finishedAt,
    ...(change?.firstSeen ? { FirstObservedAt: change.firstSeen } : {}),
    LastObservedAt: result.now,
    Severity: { Label: f.severity },
    Title: clip(meta?.title ?? f.checkId, LIMITS.title),
    Description: clip(f.message || f.checkId, LIMITS.description),
    Compliance: {
      Status: COMPLIANCE[f.status],
      ...(meta && meta.controls.length > 0 ? { RelatedRequirements: controlRequirements(meta) } : {}),
    },
    Resources: [{ Type: resourceType(f.resourceArn), Id: arn, Partition: partition as "aws", Region: region }],
    Remediation: {
      Recommendation: { Text: clip(recommendation || "See the orgwarden report.", LIMITS.recommendation), Url: url },
    },
    ProductFields: {
      "orgwarden/RunId": result.runId,
      "orgwarden/Stack": result.stack,
      "orgwarden/Status": f.status,
      ...(f.error ? { "orgwarden/Error": `${f.error.operation}: ${f.error.name}` } : {}),
      // Against the previous run: new, resolved, changed or still failing (absent when unchanged or a first run).
      ...(change ? { "orgwarden/Change": change.kind } : {}),
    },
    // A finding of this run is current; the importer archives the ones no run reports any more.
    RecordState: "ACTIVE",
  };
}

/** "CIS AWS Foundations Benchmark v3.0.0/3.1" per CIS recommendation of the check's controls (ASFF RelatedRequirements). */
function controlRequirements(meta: CheckMetadata): string[] {
  const reqs = CONTROLS.filter((c) => meta.controls.includes(c.meta.id)).flatMap((c) =>
    c.meta.cis.map((r) => `CIS AWS Foundations Benchmark v${r.version}/${r.id}`),
  );
  return [...new Set(reqs)].slice(0, 32);
}

export function toAsffFindings(result: AuditResult): AwsSecurityFinding[] {
  const ids = findingIds(result.findings);
  return result.findings.map((f, i) => toAsff(result, f, ids[i]));
}

/** A JSON array of ASFF documents: the shape BatchImportFindings' `Findings` takes and `aws securityhub batch-import-findings --findings file://` reads. */
export function renderAsff(result: AuditResult): string {
  return `${JSON.stringify(toAsffFindings(result), null, 2)}\n`;
}
