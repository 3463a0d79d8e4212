/**
 * The core of `npm run demo`, separate from process handling so a test can run it against the
 * worker's moto server: seed the sandbox with two deliberate drifts, audit it with the real agent,
 * write the reports, and check that both drifts were reported.
 */
import { runAudit } from "../run-audit";
import { writeReports } from "../report";
import type { AuditResult } from "../finding";
import { seedSandboxOrganization, type Sandbox, type SandboxDrift } from "./seed";

const MANIFEST_FILE = "sandbox-manifest.json";

export const DEMO_DRIFTS: SandboxDrift[] = [
  { kind: "foreign-principal-in-bucket-policy" },
  { kind: "missing-logs", account: "member-1" },
];

/** Checks whose input moto cannot produce (DESIGN.md, "Facts of this environment"). */
export const MOTO_GAP_CHECKS = [
  "ssm-agent-associations",
  "trail-cloudwatch-delivery",
  "trail-digest-delivery",
  // moto does not implement DescribeDeliveryChannelStatus nor DescribeConfigurationAggregatorSourcesStatus.
  "config-delivery-channel",
  "config-aggregator",
  // moto's ListStackInstances and DescribeStackSet carry no drift status, and it has no DetectStackSetDrift.
  "stackset-drift",
  // moto's RAM cannot share a query logging configuration (every configuration NOT_SHARED, no share holds it), and
  // it cannot associate a VPC with another account's configuration (agent/sandbox/README.md).
  "dns-query-log-config",
  "dns-query-log-share",
  "dns-query-log-associations",
  // moto implements no DescribeOrganizationConfiguration: the configuration finding (security account) is ERROR in every
  // governed region; the designation finding (ListOrganizationAdminAccounts, which moto serves) PASSes.
  "guardduty-organization",
  // moto refuses config.amazonaws.com, securityhub.amazonaws.com and inspector2.amazonaws.com as delegated-administrator
  // services (agent/sandbox/seed-org-settings.ts MOTO_REFUSED_DELEGATIONS): one FAIL each.
  "delegated-administrators",
  // moto's Security Hub has no ListOrganizationAdminAccounts, configuration policies or associations, finding
  // aggregators or GetEnabledStandards: these read as ERROR in the sandbox (agent/sandbox/README.md).
  "securityhub-admin-account",
  "securityhub-configuration-policy",
  "securityhub-standards",
  "securityhub-finding-aggregator",
];

export interface DemoRun {
  sandbox: Sandbox;
  result: AuditResult;
  /** Absolute paths: report.json, report.md, report.html, sandbox-manifest.json. */
  paths: string[];
  /** Deliberate drifts the audit did not report as FAIL (empty when the agent caught both). */
  missed: string[];
}

/** Each deliberate drift must surface as a FAIL of its check, for the account it was put in. */
export function missedDrifts(result: AuditResult, sb: Pick<Sandbox, "accounts" | "buckets">): string[] {
  const failed = (checkId: string, account: string) =>
    result.findings.some((f) => f.status === "FAIL" && f.checkId === checkId && f.account === account);
  const missed: string[] = [];
  if (!failed("archive-bucket-policy", sb.accounts.logArchive))
    missed.push(`the foreign principal in the policy of ${sb.buckets.archive} (archive-bucket-policy)`);
  const silent = sb.accounts.members[1];
  if (!failed("archive-delivery-freshness", silent))
    missed.push(`the missing CloudTrail logs of account ${silent} (archive-delivery-freshness)`);
  return missed;
}

export async function runDemoAudit(options: { endpoint: string; outDir: string; now?: Date }): Promise<DemoRun> {
  const sandbox = await seedSandboxOrganization({ endpoint: options.endpoint, stack: "demo", drifts: DEMO_DRIFTS });
  // One attempt: moto answers locally, and its 500s for unimplemented APIs would only be retried.
  const result = await runAudit({
    manifest: sandbox.manifest,
    credentials: sandbox.credentials,
    endpointUrl: options.endpoint,
    now: options.now ?? new Date(),
    maxAttempts: 1,
  });
  // The manifest joins the report set: outDir is replaced as a whole, so a file written beside the set would be foreign to it.
  const paths = await writeReports(result, {
    formats: ["json", "md", "html"],
    outDir: options.outDir,
    extraFiles: { [MANIFEST_FILE]: `${JSON.stringify(sandbox.manifest, null, 2)}\n` },
  });
  return { sandbox: { ...sandbox, manifestPath: paths[3] }, result, paths, missed: missedDrifts(result, sandbox) };
}
