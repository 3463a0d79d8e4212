/**
 * What the securityhub-* organization checks share: the intent rebuilt from the manifest's
 * securityHub area (baseline/detection/security-hub.ts, the function infra lays with), the
 * NOT_APPLICABLE of a manifest published before that area, and the ERROR when the shared
 * collection holds no reading (a state built without it): never a PASS on what was not read.
 */
import { securityHubArn, type AuditManifest } from "../../baseline";
import { securityHubIntent, type SecurityHubIntent } from "../../baseline/detection/security-hub";
import type { CheckMetadata, Finding } from "../finding";
import type { Collected, ObservedSecurityHubOrganization, ObservedState } from "../model";
import { blocked, errorFinding, finding, type Scope } from "./common";

export function securityHubIntentOf(m: AuditManifest): SecurityHubIntent | undefined {
  return m.securityHub
    ? securityHubIntent({ area: m.securityHub, homeRegion: m.regions.home, regions: m.regions.governed })
    : undefined;
}

/** The security account's hub in a region: what the security-account findings are about. */
export function securityScope(m: AuditManifest, region: string): Scope {
  const account = m.organization.securityAccountId;
  return { account, region, resourceArn: securityHubArn(region, account) };
}

export function notPublished(meta: CheckMetadata, scope: Scope): Finding {
  return finding(meta, scope, {
    status: "NOT_APPLICABLE",
    intended: "no securityHub area in the audit manifest",
    observed: null,
    message: `${meta.title}: not applicable, the audit manifest has no securityHub area (a manifest published before it); run \`pulumi up\` to republish it.`,
  });
}

export function notApplicable(meta: CheckMetadata, scope: Scope, intended: unknown, why: string): Finding {
  return finding(meta, scope, {
    status: "NOT_APPLICABLE",
    intended,
    observed: null,
    message: `${meta.title}: not applicable, ${why}.`,
  });
}

/**
 * The reading of one piece, or the ERROR that stands for it: NotCollected when the state holds no
 * such reading, the read's own error when it failed (or the account could not be entered).
 */
export function readOf<T>(
  meta: CheckMetadata,
  o: ObservedState,
  scope: Scope,
  intended: unknown,
  operation: string,
  pick: (sh: ObservedSecurityHubOrganization) => Collected<T> | undefined,
): { value: T } | { stop: Finding } {
  const piece = o.securityHub ? pick(o.securityHub) : undefined;
  if (!piece)
    return {
      stop: errorFinding(
        meta,
        scope,
        {
          name: "NotCollected",
          operation,
          message: `the observed state holds no ${operation} reading of account ${scope.account} in ${scope.region}`,
        },
        intended,
      ),
    };
  const stop = blocked(meta, o, scope, intended, piece);
  if (stop) return { stop };
  return { value: (piece as { ok: true; value: T }).value };
}

/** `a, b and c` */
export function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
