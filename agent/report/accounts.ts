/**
 * Who an account is, for people: its name from Organizations and its role in the baseline
 * (management, log-archive, security — from the manifest — or member). Built once per run by
 * accountDirectory() and carried in AuditResult.accounts, so every format labels an account the
 * same way and a report read back later still names it.
 */
import type { AuditManifest } from "../../baseline";
import type { AuditResult } from "../finding";
import type { ObservedOrganization } from "../model";

export const ACCOUNT_ROLES = ["management", "log-archive", "security", "member"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface AccountInfo {
  /** The account's name in Organizations; null when the account list could not be read or does not list it. */
  name: string | null;
  role: AccountRole;
}

export type AccountDirectory = Record<string, AccountInfo>;

/**
 * Every account Organizations listed, plus the three the manifest names (even when the list was
 * unreadable). One account named in two manifest roles gets the first of management, security,
 * log-archive: the role whose drift matters most for it.
 */
export function accountDirectory(org: ObservedOrganization, m: AuditManifest): AccountDirectory {
  const names = new Map<string, string>(org.accounts.ok ? org.accounts.value.map((a) => [a.id, a.name]) : []);
  const o = m.organization;
  const roles: [string, AccountRole][] = [
    [o.managementAccountId, "management"],
    [o.securityAccountId, "security"],
    [o.logArchiveAccountId, "log-archive"],
  ];
  const out: AccountDirectory = {};
  for (const id of [...new Set([...names.keys(), ...roles.map(([a]) => a)])].sort()) {
    const role = roles.find(([a]) => a === id)?.[1] ?? "member";
    out[id] = { name: names.get(id) ?? null, role };
  }
  return out;
}

type WithAccounts = Pick<AuditResult, "accounts">;

/** The account's name, or undefined when the report does not know it (older report, unreadable account list). */
export function accountName(r: WithAccounts, id: string): string | undefined {
  return r.accounts?.[id]?.name ?? undefined;
}

/**
 * "log-archive-prod (222222222222, log-archive)", "dev-workloads (444444444444)" for a member,
 * "111111111111 (management)" when Organizations did not name it, the bare id when the report
 * knows nothing of it, and "organization-wide" for "-".
 */
export function accountLabel(r: WithAccounts, id: string): string {
  if (id === "-") return "organization-wide";
  const info = r.accounts?.[id];
  if (!info) return id;
  const role = info.role === "member" ? "" : `, ${info.role}`;
  return info.name === null ? (role ? `${id} (${info.role})` : id) : `${info.name} (${id}${role})`;
}
