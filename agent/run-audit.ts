/**
 * The one orchestrator behind the CLI and the Lambda handler: validate the manifest and options,
 * collect the live state, evaluate every check, and compute the exit code. A failed read becomes an
 * ERROR finding (exit 3); only a bad manifest or option throws (the callers turn it into exit 2).
 */
import { randomUUID } from "node:crypto";
import { parseAuditManifest, type AuditManifest } from "../baseline";
import { ClientFactory, type ClientSettings } from "./aws/clients";
import { AuditCredentials, startingCredentialsName } from "./aws/credentials";
import { evaluateAll } from "./checks/registry";
import { explainOutOfScope } from "./checks/scope";
import { collectState } from "./collectors";
import { coverageOf } from "./coverage";
import { exitCodeFor, type AuditResult } from "./finding";
import type { ObservedState } from "./model";
import { AuditConfigError, checkRunOptions, DEFAULTS, type AuditOptions } from "./options";
import { prepareReport } from "./report/prepare";

export interface AuditRun {
  result: AuditResult;
  /** The raw observation, for debugging and for the tests that look behind a finding. */
  observed: ObservedState;
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  return (await runAuditDetailed(options)).result;
}

export async function runAuditDetailed(options: AuditOptions): Promise<AuditRun> {
  const startedAt = new Date();
  const runId = options.runId ?? randomUUID();
  const manifest = parseAuditManifest(options.manifest);
  checkRunOptions(options);
  const regions = scopeRegions(manifest, options.regions);
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const now = options.now ?? startedAt;

  const settings: ClientSettings = {
    endpointUrl: options.endpointUrl,
    maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    connectionTimeoutMs: DEFAULTS.connectionTimeoutMs,
    retryDelayScale: options.retryDelayScale,
    concurrency,
  };
  const creds = new AuditCredentials(
    {
      profile: options.profile,
      credentials: options.credentials,
      assumeReadRoleEverywhere: options.assumeReadRoleEverywhere,
      readRoleName: manifest.audit.readRoleName,
      externalId: manifest.audit.externalId,
      stsRegion: manifest.regions.home,
    },
    settings,
  );
  const clients = new ClientFactory(settings, creds);
  try {
    await creds.requireStartingIdentity(startingCredentialsName(options));
    const { observed, accounts } = await collectState(clients, creds, {
      manifest,
      now,
      accounts: options.accounts,
      regions,
      concurrency,
      taskTimeoutMs: options.taskTimeoutMs ?? DEFAULTS.taskTimeoutMs,
      onProgress: options.onProgress,
    });
    const findings = explainOutOfScope(evaluateAll(observed, manifest, now), options.accounts);
    const coverage = coverageOf(observed.organization, manifest, accounts);
    const organizationId = observed.organization.organizationId.ok
      ? observed.organization.organizationId.value
      : manifest.organization.id;
    const result: AuditResult = {
      reportSchemaVersion: 1,
      runId,
      stack: manifest.stack,
      organizationId,
      securityAccountId: manifest.organization.securityAccountId,
      homeRegion: manifest.regions.home,
      now: now.toISOString(),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      scope: { accounts, regions, organizationAccounts: coverage.organizationAccounts },
      incomplete: coverage.incomplete,
      findings,
      exitCode: exitCodeFor(findings, coverage.incomplete),
    };
    return { result: prepareReport(result, observed, manifest), observed };
  } finally {
    clients.destroy();
    creds.destroy();
  }
}

/** --regions must stay inside the governed regions: auditing a region the manifest does not govern would judge it against nothing. */
function scopeRegions(m: AuditManifest, requested: string[] | undefined): string[] {
  if (!requested) return m.regions.governed;
  const outside = requested.filter((r) => !m.regions.governed.includes(r));
  if (outside.length > 0) {
    throw new AuditConfigError(
      `--regions ${outside.join(",")}: not governed by the manifest; allowed: ${m.regions.governed.join(", ")}`,
    );
  }
  return [...new Set(requested)];
}
