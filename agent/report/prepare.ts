/**
 * What the reports need beyond the findings, added once per run after the checks: the accounts'
 * names and roles, the remediation commands filled with the real names, and the intended documents
 * those commands read. The engine's evaluate step (agent/engine/evaluate.ts) calls it on every
 * run's result, in-process or batched; it changes no status, severity or id.
 */
import type { AuditManifest } from "../../baseline";
import type { AuditResult, Finding } from "../finding";
import type { ObservedOrganization } from "../model";
import { accountDirectory } from "./accounts";
import { fillRemediation } from "./remediation";

export function prepareReport(
  result: AuditResult,
  organization: ObservedOrganization,
  manifest: AuditManifest,
): AuditResult {
  const ctx = { manifest, organization, now: new Date(result.now) };
  const documents: Record<string, unknown> = {};
  const findings: Finding[] = result.findings.map((f) => {
    const { finding, document } = fillRemediation(f, ctx);
    if (document) {
      const seen = documents[document.file];
      // One file per finding id; two findings sharing an id (one check, one scope) compared with one document.
      if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(document.content))
        throw new Error(`prepareReport: two findings with id ${f.id} refer to different intended documents`);
      documents[document.file] = document.content;
    }
    return finding;
  });
  return {
    ...result,
    accounts: accountDirectory(organization, manifest),
    findings,
    ...(Object.keys(documents).length > 0 ? { intendedDocuments: documents } : {}),
  };
}
