/**
 * What the reports need beyond the findings, added once per run after the checks: the accounts'
 * names and roles, the remediation commands filled with the real names, and the intended documents
 * those commands read. runAudit calls it on its result; it changes no status, severity or id.
 */
import type { AuditManifest } from "../../baseline";
import type { AuditResult, Finding } from "../finding";
import type { ObservedState } from "../model";
import { accountDirectory } from "./accounts";
import { fillRemediation } from "./remediation";

export function prepareReport(result: AuditResult, observed: ObservedState, manifest: AuditManifest): AuditResult {
  const ctx = { manifest, organization: observed.organization, now: new Date(result.now) };
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
    accounts: accountDirectory(observed.organization, manifest),
    findings,
    ...(Object.keys(documents).length > 0 ? { intendedDocuments: documents } : {}),
  };
}
