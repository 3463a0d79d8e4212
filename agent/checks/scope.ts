/**
 * Which accounts and regions the per-account checks must report on. The list comes from the
 * organization (every ACTIVE account) and the manifest (every governed region), narrowed by the
 * run's scope — never from what happened to be collected, so a missing observation is an ERROR.
 */
import { accountRoot, organizationArn, type AuditManifest } from "../../baseline";
import type { CheckMetadata, Finding } from "../finding";
import type { Collected, ObservedRegionDetection, ObservedState } from "../model";
import { errorFinding, finding, type Scope } from "./common";

export function auditedRegions(o: ObservedState, m: AuditManifest): string[] {
  return o.scope?.regions ?? m.regions.governed;
}

/** ACTIVE accounts in scope, or the error that kept the account list from being read. */
export function auditedAccounts(o: ObservedState): Collected<string[]> {
  const accounts = o.organization.accounts;
  if (!accounts.ok) return accounts;
  const wanted = o.scope?.accounts;
  const ids = accounts.value.filter((a) => a.status === "ACTIVE").map((a) => a.id);
  return { ok: true, value: wanted ? ids.filter((id) => wanted.includes(id)) : ids };
}

export interface DetectionCell {
  account: string;
  region: string;
  entry: ObservedRegionDetection;
}

/**
 * One cell per audited account × region with its observation; ERROR findings for cells that were
 * not observed, for unreachable accounts, and for an unreadable account list (then every cell that
 * was observed is still judged).
 */
export function detectionCells(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
  intended: unknown,
): { cells: DetectionCell[]; errors: Finding[] } {
  const regions = auditedRegions(o, m);
  const accounts = auditedAccounts(o);
  const errors: Finding[] = [];
  let wanted: string[];
  if (accounts.ok) {
    wanted = accounts.value;
  } else {
    errors.push(
      errorFinding(
        meta,
        { account: "-", region: "global", resourceArn: organizationArn(m.organization) },
        accounts.error,
        intended,
      ),
    );
    wanted = [...new Set(o.detection.map((d) => d.account))].filter(
      (a) => !o.scope?.accounts || o.scope.accounts.includes(a),
    );
  }
  const cells: DetectionCell[] = [];
  for (const account of wanted) {
    for (const region of regions) {
      const scope = { account, region, resourceArn: accountRoot(account) };
      const unreachable = o.unreachableAccounts[account];
      const entry = o.detection.find((d) => d.account === account && d.region === region);
      if (unreachable) errors.push(errorFinding(meta, scope, unreachable, intended));
      else if (!entry) errors.push(errorFinding(meta, scope, notCollected(account, region), intended));
      else cells.push({ account, region, entry });
    }
  }
  return { cells, errors };
}

export function notCollected(account: string, region: string) {
  return {
    name: "NotCollected",
    operation: "collect",
    kind: "other" as const,
    message: `no observation was collected for account ${account} in ${region}`,
  };
}

/**
 * The finding for what the member baseline would lay in an account stackSet.excludeAccounts
 * excludes: NOT_APPLICABLE, naming the exclusion (`what` names the resource, `scope.region` where).
 */
export function excludedAccountFinding(meta: CheckMetadata, scope: Scope, what: string): Finding {
  const where = scope.region === "global" ? "there" : `in ${scope.region}`;
  return finding(meta, scope, {
    status: "NOT_APPLICABLE",
    intended: { excluded: true, by: "stackSet.excludeAccounts" },
    observed: null,
    message: `Account ${scope.account} is excluded by stackSet.excludeAccounts: it gets no orgwarden member baseline, so ${what} is not laid ${where} and was not judged.`,
  });
}

export interface CellOptions {
  /**
   * For a check of what only the member baseline lays in an account (its StackSet template, e.g.
   * "its Config recorder"): an account in stackSet.excludeAccounts gets none of it, so each of its
   * cells is NOT_APPLICABLE saying so — read or not (such an account has no audit read role either).
   */
  memberBaseline?: string;
}

/**
 * Runs `judge` on every observed cell; the unobserved ones are already ERROR. Never returns nothing.
 * With `memberBaseline`, the cells of excluded accounts are NOT_APPLICABLE instead (CellOptions).
 */
export function evaluateCells(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
  intended: unknown,
  judge: (c: DetectionCell) => Finding | Finding[],
  options: CellOptions = {},
): Finding[] {
  const all = detectionCells(meta, o, m, intended);
  const excludedAccounts = options.memberBaseline === undefined ? [] : (m.stackSet?.excludeAccounts ?? []);
  const isExcluded = (account: string) => excludedAccounts.includes(account);
  // Each cell in scope is either observed or an ERROR of its own: together, every cell of an excluded account.
  const excluded = [...all.cells, ...all.errors]
    .filter((c) => isExcluded(c.account))
    .map(({ account, region }) =>
      excludedAccountFinding(meta, { account, region, resourceArn: accountRoot(account) }, options.memberBaseline!),
    );
  const cells = all.cells.filter((c) => !isExcluded(c.account));
  const errors = all.errors.filter((f) => !isExcluded(f.account));
  const out = [...errors, ...excluded, ...cells.flatMap(judge)];
  if (out.length > 0) return out;
  return [
    finding(
      meta,
      { account: "-", region: "global", resourceArn: organizationArn(m.organization) },
      {
        status: "NOT_APPLICABLE",
        intended,
        observed: [],
        message: `${meta.title}: no ACTIVE account × region is in this run's scope, so nothing was judged.`,
      },
    ),
  ];
}

const TRAIL = "the organization trail lives in the management account and logs every account in scope";
const ARCHIVE = "the archive in the log-archive account holds the logs of every account in scope";
const LOG_BUCKETS =
  "the log buckets (log-archive and security accounts) hold the access logs, Config history, flow logs, DNS query logs, Athena query results and audit reports of every account in scope";
const KEY = "the log key in the security account encrypts the logs of every account in scope";
const ROLES =
  "the baseline's roles (the trail's CloudWatch Logs role, the log auditor role, the agent role) deliver and audit the logs of every account in scope";
const STACKSET =
  "the member-baseline StackSet lives in the management account (home region) and deploys to every account in scope";

/**
 * Checks whose finding is about a resource the organization shares, held by one account (the
 * management, log-archive or security account) whatever --accounts says: every account in scope
 * logs through it, so a scoped run still judges it, and says why that account appears.
 */
const CENTRAL_BUS =
  "the central event bus lives in the security account and receives the forwarded findings and CIS events of every account in scope";

const AUDIT_AGENT =
  "the audit agent's schedule, alarms and log groups live in the security account (home region) and serve the audit of every account in scope";
const SECURITY_HUB =
  "Security Hub's organization configuration, policy, standards and aggregator live in the security account and govern and collect the findings of every account in scope";

export const SHARED_RESOURCE_CHECKS: Record<string, string> = {
  "scp-logging-present":
    "the SCP that keeps logging on belongs to the organization (management account) and applies to every account in scope",
  "accounts-enrolled": "the organization's account list is read in the management account",
  "org-trail-is-organization-trail": TRAIL,
  "trail-logging": TRAIL,
  "trail-configuration": TRAIL,
  "trail-s3-delivery": TRAIL,
  "trail-cloudwatch-delivery": TRAIL,
  "trail-digest-delivery": TRAIL,
  "trail-event-selectors": TRAIL,
  "trail-log-group":
    "the organization trail's log group lives in the management account and receives the events of every account in scope",
  "cis-metric-filter-alarms":
    "the CIS metric filters and alarms sit on the organization trail's log group in the management account and watch the events of every account in scope",
  "archive-bucket-policy": ARCHIVE,
  "archive-object-lock": ARCHIVE,
  "archive-versioning": ARCHIVE,
  "archive-encryption": ARCHIVE,
  "archive-public-access": ARCHIVE,
  "archive-delivery-freshness": ARCHIVE,
  "kms-key-policy": KEY,
  "kms-grants": KEY,
  "kms-key-state": KEY,
  "config-aggregator":
    "the organization's Config aggregator lives in the security account and aggregates the configuration of every account in scope",
  "log-bucket-policy": LOG_BUCKETS,
  "log-bucket-versioning": LOG_BUCKETS,
  "log-bucket-encryption": LOG_BUCKETS,
  "log-bucket-public-access": LOG_BUCKETS,
  "log-bucket-ownership": LOG_BUCKETS,
  "log-bucket-lifecycle": LOG_BUCKETS,
  "log-bucket-access-logging": LOG_BUCKETS,
  // The baseline's other keys and their aliases (kms-key-policy, kms-grants, kms-key-state judge them too) and its roles.
  "kms-key-alias": KEY,
  "iam-role-trust": ROLES,
  "iam-role-permissions": ROLES,
  "alert-topics":
    "the alert topics (security account and management account) receive the alarms and findings of every account in scope",
  "event-bus-policy": CENTRAL_BUS,
  "event-bus-rules": CENTRAL_BUS,
  "stackset-instances": STACKSET,
  "stackset-drift": STACKSET,
  "stackset-drift-schedule": STACKSET,
  "dns-query-log-config":
    "the Resolver query logging configurations live in the log-archive account and log the VPCs of every account in scope",
  "dns-query-log-share":
    "the RAM shares of the Resolver query logging configurations live in the log-archive account and let every account in scope associate its VPCs",
  "athena-catalog":
    "the Athena log database and tables live in the security account (home region) and read the logs of every account in scope",
  "athena-workgroup":
    "the Athena log workgroup lives in the security account (home region) and is where the logs of every account in scope are queried",
  "guardduty-organization":
    "GuardDuty's delegated administrator is designated in the management account and its organization configuration, in the security account, enables GuardDuty for every account in scope",
  "organization-settings":
    "the organization's feature set, root policy types and trusted services are read in the management account and govern every account in scope",
  "delegated-administrators":
    "the organization's delegated administrators are registered in the management account and administer the security services of every account in scope",
  "audit-agent-schedule": AUDIT_AGENT,
  "audit-agent-alarms": AUDIT_AGENT,
  "audit-agent-log-groups": AUDIT_AGENT,
  "inspector-organization":
    "Amazon Inspector's delegation (management account) and organization configuration (security account) decide which accounts in scope are scanned and who sees their findings",
  "securityhub-admin-account":
    "Security Hub's delegated administrator is designated in the management account and makes every account in scope a member of the security account",
  "securityhub-organization": SECURITY_HUB,
  "securityhub-configuration-policy": SECURITY_HUB,
  "securityhub-standards": SECURITY_HUB,
  "securityhub-finding-aggregator": SECURITY_HUB,
};

/**
 * A run narrowed by --accounts reports on those accounts only, except for the shared resources
 * above, whose findings then say why their account appears. A per-account check's finding for
 * an account outside the scope would be about an account this run never read: it is dropped.
 */
export function explainOutOfScope(findings: Finding[], requestedAccounts: string[] | undefined): Finding[] {
  if (!requestedAccounts) return findings;
  return findings.flatMap((f) => {
    if (f.account === "-" || requestedAccounts.includes(f.account)) return [f];
    const why = SHARED_RESOURCE_CHECKS[f.checkId];
    return why
      ? [{ ...f, message: `${f.message} (Account ${f.account} is outside --accounts: judged because ${why}.)` }]
      : [];
  });
}
