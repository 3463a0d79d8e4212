/**
 * Which part of the organization a run audited, said once for every format. A run whose account
 * list could not be read completely audits the accounts the manifest names, and says so as a
 * run-level error: a partial list is never presented as the organization.
 */
import type { AuditManifest } from "../baseline";
import type { AuditResult } from "./finding";
import type { ObservedOrganization } from "./model";

export interface Coverage {
  /** ACTIVE accounts of the organization; null when its account list could not be read. */
  organizationAccounts: number | null;
  /** Run-level errors: each makes the run incomplete (exit 3), whatever the findings say. */
  incomplete: string[];
}

export function coverageOf(org: ObservedOrganization, m: AuditManifest, audited: string[]): Coverage {
  if (org.accounts.ok)
    return { organizationAccounts: org.accounts.value.filter((a) => a.status === "ACTIVE").length, incomplete: [] };
  const e = org.accounts.error;
  const tries = e.attempts !== undefined ? ` after ${e.attempts} attempt${e.attempts === 1 ? "" : "s"}` : "";
  const named = [
    m.organization.managementAccountId,
    m.organization.logArchiveAccountId,
    m.organization.securityAccountId,
  ];
  const fallback = audited.every((a) => named.includes(a))
    ? "the accounts the manifest names"
    : "the accounts given with --accounts";
  return {
    organizationAccounts: null,
    incomplete: [
      `account list unreadable: ${e.operation} failed with ${e.name}${tries} (${e.message}); audited ${audited.length} account${audited.length === 1 ? "" : "s"} (${fallback}), not the organization`,
    ],
  };
}

/** "audited 3 of 203 accounts × 2 regions", the words every format leads with. */
export function coverageLine(r: Pick<AuditResult, "scope">): string {
  const n = r.scope.accounts.length;
  const total = r.scope.organizationAccounts;
  const regions = `${r.scope.regions.length} region${r.scope.regions.length === 1 ? "" : "s"}`;
  if (total === null)
    return `audited ${n} account${n === 1 ? "" : "s"} × ${regions}; the organization's account list could not be read`;
  return `audited ${n} of ${total} account${total === 1 ? "" : "s"} × ${regions}`;
}
