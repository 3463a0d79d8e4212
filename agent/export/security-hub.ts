/**
 * `--security-hub`: the run's ASFF findings into the security account's Security Hub, through
 * BatchImportFindings (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html):
 * at most 100 findings per call, the same Id updates a finding, and RecordState ARCHIVED retires
 * one. What needs action (FAIL, ERROR) is ACTIVE; a finding that is PASS or NOT_APPLICABLE now, or
 * that this run no longer reports, is archived if Security Hub still holds it ACTIVE. A rejected
 * finding or a failed call becomes a run-level error of the result (exit 3), never a silent loss.
 */
import {
  BatchImportFindingsCommand,
  paginateGetFindings,
  SecurityHubClient,
  type AwsSecurityFinding,
} from "@aws-sdk/client-securityhub";
import { clientConfig, type ClientSettings } from "../aws/clients";
import { exitCodeFor, type AuditResult } from "../finding";
import type { AwsCredentialsInput } from "../options";
import { findingIds, productArn, securityHubTarget, toAsff } from "../report/asff";

/** BatchImportFindings takes at most 100 findings per request (its API reference). */
export const BATCH_LIMIT = 100;

export interface SecurityHubExport {
  /** ACTIVE findings imported (new or updated). */
  imported: number;
  /** Findings archived: resolved (PASS, NOT_APPLICABLE) or no longer reported. */
  archived: number;
  /** Findings Security Hub rejected (FailedFindings), each with its error. */
  failed: { id: string; code: string; message: string }[];
  /** Calls that failed as a whole (GetFindings, a BatchImportFindings batch). */
  errors: string[];
}

/** The one Security Hub client: the security account's credentials, in the home region, with the agent's one retry policy. */
export function securityHubClient(
  settings: ClientSettings,
  region: string,
  credentials: AwsCredentialsInput,
): SecurityHubClient {
  return new SecurityHubClient(clientConfig(settings, region, credentials));
}

const NEEDS_ACTION = new Set(["FAIL", "ERROR"]);

/** The members a provider sets (the ASFF required ones and ours); what Security Hub adds itself (Workflow, ProcessedAt, …) is not sent back. */
const PROVIDER_MEMBERS = [
  "SchemaVersion",
  "Id",
  "ProductArn",
  "ProductName",
  "CompanyName",
  "GeneratorId",
  "AwsAccountId",
  "Region",
  "Types",
  "CreatedAt",
  "UpdatedAt",
  "LastObservedAt",
  "Severity",
  "Title",
  "Description",
  "Compliance",
  "Resources",
  "Remediation",
  "ProductFields",
] as const satisfies readonly (keyof AwsSecurityFinding)[];

function archivedCopy(f: AwsSecurityFinding, updatedAt: string): AwsSecurityFinding {
  const doc = Object.fromEntries(PROVIDER_MEMBERS.filter((k) => f[k] !== undefined).map((k) => [k, f[k]]));
  return { ...(doc as unknown as AwsSecurityFinding), UpdatedAt: updatedAt, RecordState: "ARCHIVED" };
}

/**
 * This stack's ACTIVE findings in Security Hub. The filters go to the API; they are applied again
 * here because an emulator (moto) ignores them, and a finding of another product or stack must
 * never be archived by this run.
 */
export async function activeFindings(
  client: SecurityHubClient,
  product: string,
  stack: string,
): Promise<AwsSecurityFinding[]> {
  const eq = (Value: string) => [{ Value, Comparison: "EQUALS" as const }];
  const found: AwsSecurityFinding[] = [];
  const pages = paginateGetFindings(
    { client },
    { Filters: { ProductArn: eq(product), RecordState: eq("ACTIVE"), ProductName: eq("orgwarden") }, MaxResults: 100 },
  );
  for await (const page of pages) found.push(...(page.Findings ?? []));
  return found.filter(
    (f) => f.ProductArn === product && f.RecordState === "ACTIVE" && f.ProductFields?.["orgwarden/Stack"] === stack,
  );
}

/** The documents to send: what needs action as ACTIVE (keeping its first CreatedAt), and an ARCHIVED copy of every other finding Security Hub still holds ACTIVE. */
export function planImport(result: AuditResult, active: AwsSecurityFinding[]): AwsSecurityFinding[] {
  const held = new Map(active.map((f) => [f.Id!, f]));
  const docs: AwsSecurityFinding[] = [];
  const seen = new Set<string>();
  const ids = findingIds(result.findings);
  for (const [i, f] of result.findings.entries()) {
    const doc = toAsff(result, f, ids[i]);
    seen.add(doc.Id!);
    const before = held.get(doc.Id!);
    // ASFF CreatedAt is when the provider first saw the issue: an update keeps it.
    if (before?.CreatedAt) doc.CreatedAt = before.CreatedAt;
    if (NEEDS_ACTION.has(f.status)) docs.push(doc);
    else if (before) docs.push({ ...doc, RecordState: "ARCHIVED" });
  }
  for (const [id, f] of held) if (!seen.has(id)) docs.push(archivedCopy(f, result.finishedAt));
  return docs;
}

/** Sends the documents in batches of BATCH_LIMIT; every rejected finding and failed call is returned. */
export async function importFindings(
  client: SecurityHubClient,
  docs: AwsSecurityFinding[],
): Promise<Omit<SecurityHubExport, "archived" | "imported"> & { accepted: Set<string> }> {
  const failed: SecurityHubExport["failed"] = [];
  const errors: string[] = [];
  const accepted = new Set<string>();
  for (let i = 0; i < docs.length; i += BATCH_LIMIT) {
    const batch = docs.slice(i, i + BATCH_LIMIT);
    try {
      const r = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
      const rejected = new Set<string>();
      for (const f of r.FailedFindings ?? []) {
        rejected.add(f.Id ?? "");
        failed.push({ id: f.Id ?? "", code: f.ErrorCode ?? "", message: f.ErrorMessage ?? "" });
      }
      for (const d of batch) if (!rejected.has(d.Id!)) accepted.add(d.Id!);
    } catch (err) {
      const e = err as Error;
      errors.push(
        `Security Hub BatchImportFindings of findings ${i + 1}-${i + batch.length} of ${docs.length} failed: ${e.name}: ${e.message}`,
      );
    }
  }
  return { failed, errors, accepted };
}

/** Imports the result and archives what was resolved; never throws for an AWS error (it is returned). */
export async function exportToSecurityHub(result: AuditResult, client: SecurityHubClient): Promise<SecurityHubExport> {
  const target = securityHubTarget(result);
  const product = productArn(target.accountId, target.region);
  let active: AwsSecurityFinding[];
  try {
    active = await activeFindings(client, product, result.stack);
  } catch (err) {
    const e = err as Error;
    // Without the current set nothing can be archived safely; importing the new state still can.
    active = [];
    const lost = `Security Hub GetFindings in ${target.accountId} ${target.region} failed (${e.name}: ${e.message}); resolved findings were not archived`;
    const docs = planImport(result, active);
    const r = await importFindings(client, docs);
    return { imported: r.accepted.size, archived: 0, failed: r.failed, errors: [lost, ...r.errors] };
  }
  const docs = planImport(result, active);
  const r = await importFindings(client, docs);
  const archivedIds = new Set(docs.filter((d) => d.RecordState === "ARCHIVED").map((d) => d.Id!));
  const archived = [...r.accepted].filter((id) => archivedIds.has(id)).length;
  return { imported: r.accepted.size - archived, archived, failed: r.failed, errors: r.errors };
}

/** The export's problems as run-level errors of the result, so every report and the exit code show them. */
export function withExportProblems(result: AuditResult, e: SecurityHubExport): AuditResult {
  const problems = [
    ...e.errors,
    ...e.failed.map((f) => `Security Hub rejected finding ${f.id}: ${f.code}: ${f.message}`),
  ];
  if (problems.length === 0) return result;
  const incomplete = [...result.incomplete, ...problems];
  return { ...result, incomplete, exitCode: exitCodeFor(result.findings, incomplete) };
}

/**
 * The entry points' one call (CLI --security-hub, the Lambda): import with the given credentials,
 * which must act in the security account (the Security Hub administrator the findings land in),
 * and fold any problem into the result.
 */
export async function securityHubStep(
  result: AuditResult,
  settings: ClientSettings,
  credentials: AwsCredentialsInput,
): Promise<{ result: AuditResult; export: SecurityHubExport }> {
  const client = securityHubClient(settings, securityHubTarget(result).region, credentials);
  try {
    const e = await exportToSecurityHub(result, client);
    return { result: withExportProblems(result, e), export: e };
  } finally {
    client.destroy();
  }
}
