/**
 * The nightly integrity validation: enter the log auditor role (audit.logAuditorRoleArn, one of
 * the principals the key policy and the archive bucket policy let read and decrypt the logs — the
 * read role is never widened for this), then validate every account × region's digest chain of
 * the last audit.integrityWindowHours in the archive bucket.
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { S3Client } from "@aws-sdk/client-s3";
import type { AuditManifest } from "../../baseline";
import type { ClientFactory } from "../aws/clients";
import type { AuditCredentials } from "../aws/credentials";
import type { TemporaryCredentials } from "../collectors/sts";
import { collected, failed, type Collected, type CollectError } from "../model";
import type { TailRule } from "./chain";
import type { ObservedIntegrity, ObservedIntegrityScope } from "./observed";
import { S3Source } from "./s3-source";
import { validateScopes, type ScopeResult } from "./validate";

export interface IntegrityPlan {
  manifest: AuditManifest;
  now: Date;
  accounts: string[];
  regions: string[];
  concurrency: number;
  /** GetTrailStatus LatestDigestDeliveryTime, when known: the chain must reach it. */
  latestDigestDeliveryTime?: string;
}

const HOUR = 3_600_000;
const SESSION = "orgwarden-log-integrity";

/** The newest digest may be as old as thresholds.digestMaxAgeMinutes, and must be within a digest period of the trail's last digest delivery. */
export function nightlyTail(m: AuditManifest, to: Date, latestDigestDeliveryTime?: string): TailRule {
  const max = m.thresholds.digestMaxAgeMinutes;
  const byWindow: TailRule = {
    notBefore: new Date(to.getTime() - max * 60_000),
    because: `the audit runs at ${to.toISOString()} and a digest is due every hour (thresholds.digestMaxAgeMinutes: ${max})`,
  };
  const latest = latestDigestDeliveryTime ? Date.parse(latestDigestDeliveryTime) - HOUR : NaN;
  if (Number.isNaN(latest) || latest <= byWindow.notBefore.getTime()) return byWindow;
  return {
    notBefore: new Date(latest),
    because: `the trail last delivered a digest at ${latestDigestDeliveryTime} (GetTrailStatus LatestDigestDeliveryTime)`,
  };
}

/** The window the nightly validation walks: the last audit.integrityWindowHours before the audit's clock. */
export function integrityWindow(m: AuditManifest, now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - m.audit.integrityWindowHours * HOUR), to: now };
}

export async function collectIntegrity(
  clients: ClientFactory,
  creds: AuditCredentials,
  plan: IntegrityPlan,
): Promise<ObservedIntegrity | undefined> {
  const m = plan.manifest;
  const roleArn = m.audit.logAuditorRoleArn;
  if (!roleArn) return undefined;
  const window = integrityWindow(m, plan.now);
  const pairs = plan.accounts.flatMap((account) => plan.regions.map((region) => ({ account, region })));
  const observed = (scopes: ObservedIntegrityScope[]): ObservedIntegrity => ({
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    roleArn,
    scopes,
  });
  const first = await creds.assumeRoleArn(roleArn, SESSION);
  if (!first.ok)
    return observed(
      pairs.map((p) => ({ ...p, result: failed({ ...first.error, account: p.account, region: p.region }) })),
    );
  const provider = refreshing(creds, roleArn, first.value);
  const home = m.regions.home;
  const source = new S3Source(
    clients.getAs(S3Client, roleArn, home, provider),
    (r) => clients.getAs(CloudTrailClient, roleArn, r, provider),
    m.archive.bucketName,
  );
  const scopes = pairs.map((p) => ({
    orgId: m.organization.id,
    ...p,
    trailName: m.trail.name,
    homeRegion: m.trail.homeRegion,
  }));
  try {
    const tail = () => nightlyTail(m, plan.now, plan.latestDigestDeliveryTime);
    const results = await validateScopes(source, scopes, { window, tail, concurrency: plan.concurrency });
    return observed(results.map((r) => ({ account: r.scope.account, region: r.scope.region, result: verdictOf(r) })));
  } catch (err) {
    // Failed reads are per scope; anything else is a bug of the validator: every scope is ERROR, the audit still completes.
    const e = err instanceof Error ? err : new Error(String(err));
    const error = { name: e.name, message: e.message, kind: "other" as const, operation: "validate", service: "s3" };
    return observed(pairs.map((p) => ({ ...p, result: failed({ ...error, ...p }) })));
  }
}

function verdictOf(
  r: ScopeResult,
): Collected<{ digestsVerified: number; logsVerified: number; bytesHashed: number; defects: ScopeResult["defects"] }> {
  if (r.error) {
    const service = r.error.operation === "ListPublicKeys" ? "cloudtrail" : "s3";
    const e: CollectError = {
      name: r.error.name,
      message: r.error.message,
      operation: r.error.operation,
      service,
      account: r.scope.account,
      region: r.scope.region,
      kind: r.error.failure?.kind ?? "other",
    };
    if (r.error.failure?.attempts !== undefined) e.attempts = r.error.failure.attempts;
    if (r.error.failure?.httpStatus !== undefined) e.httpStatus = r.error.failure.httpStatus;
    return failed(e);
  }
  return collected({
    digestsVerified: r.digestsVerified,
    logsVerified: r.logsVerified,
    bytesHashed: r.bytesHashed,
    defects: r.defects,
  });
}

/** Re-enters the role shortly before the hour-long session ends: a long validation must not fail with ExpiredToken. */
function refreshing(
  creds: AuditCredentials,
  roleArn: string,
  initial: TemporaryCredentials,
): () => Promise<TemporaryCredentials> {
  let current = initial;
  return async () => {
    if (current.expiration && current.expiration.getTime() - Date.now() < 5 * 60_000) {
      const r = await creds.assumeRoleArn(roleArn, SESSION);
      if (!r.ok) throw Object.assign(new Error(r.error.message), { name: r.error.name });
      current = r.value;
    }
    return current;
  };
}
