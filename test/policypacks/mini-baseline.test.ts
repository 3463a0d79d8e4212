import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadStackConfig } from "../../harness/stack-config";
import { runProgramWithGuardrails } from "../../harness/policy-gate";
import { FirstPreviewMocks } from "../../harness/policy-mocks";

const dir = join(__dirname, "fixtures/mini-baseline");

async function violations(mutation: string, mocks?: FirstPreviewMocks) {
  const c = loadStackConfig(dir, "dev");
  const g = await runProgramWithGuardrails({
    program: dir,
    stack: "dev",
    config: { ...c.config, "mini-baseline:mutation": mutation },
    policyConfigFile: null,
    mocks,
  });
  return {
    list: g.result.violations.map(
      (v) => `[${v.enforcementLevel}] ${v.policyName}: ${v.message.split("\n").slice(1).join(" ")}`,
    ),
    notApplicable: g.result.notApplicable
      .filter((n) => !/^Policy only applies to/.test(n.reason ?? ""))
      .map((n) => `${n.policyName}: ${n.reason}`),
  };
}

describe("stack policies on a program, each mutated in one place (run-program, AWS mocks)", () => {
  it("the unmutated program passes every policy", async () => {
    expect(await violations("")).toEqual({ list: [], notApplicable: [] });
  });
  it.each([
    [
      "trail-single-region",
      '[mandatory] cloudtrail-multi-region-logging: Trail "org-trail": set isMultiRegionTrail: true so the trail records every region',
    ],
    [
      "drop-access-logging",
      '[mandatory] s3-trail-bucket-access-logging: bucket "archive-bucket" (mini-archive-1): add an aws.s3.BucketLogging that sends the trail bucket\'s server access logs to a separate access-log bucket',
    ],
    [
      "governance-lock",
      '[mandatory] s3-archive-object-lock: bucket "archive-bucket" (mini-archive-1): set the default retention mode to COMPLIANCE (it is GOVERNANCE)',
    ],
    [
      "suspend-versioning",
      '[mandatory] s3-log-bucket-versioning: bucket "archive-bucket" (mini-archive-1) (trail archive): add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled"',
    ],
    [
      "sse-s3-archive",
      '[mandatory] s3-log-bucket-kms-encryption: bucket "archive-bucket" (mini-archive-1) (trail archive): use sseAlgorithm "aws:kms" with a customer managed key instead of "AES256" (SSE-S3 is allowed only on a bucket that receives nothing but server access logs)',
    ],
    [
      "drop-tls-deny",
      '[mandatory] s3-log-bucket-public-access: bucket "archive-bucket" (mini-archive-1) (trail archive): add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"',
    ],
    [
      "drop-delivery-channel",
      '[mandatory] config-recorder-all-resources: Recorder "recorder": add an aws.cfg.DeliveryChannel in account default, region default: a recorder without a delivery channel cannot start',
    ],
    [
      "gd-new-only",
      '[advisory] detection-services-organization: GuardDuty OrganizationConfiguration "gd-org": set autoEnableOrganizationMembers to ALL (it is NEW)',
    ],
    [
      "drop-alarm",
      "[mandatory] cis-metric-filters-alarms: CIS 4.3 (Usage of the root user): no alarm watches CISBenchmark/RootAccountUsage; create cis-4-3-RootAccountUsage",
    ],
    [
      "detach-scp",
      '[mandatory] scp-protects-cloudtrail: attach Policy "logging-scp" to the organization root (or to every top-level OU): it is not attached anywhere',
    ],
    [
      "extra-scps",
      "[mandatory] scp-limits: target r-a1b2 would have 6 SCPs attached (counting FullAWSAccess); AWS Organizations allows 5: merge policies",
    ],
  ])("%s", async (mutation, expected) => {
    expect((await violations(mutation)).list).toEqual([expected]);
  });
});

describe("the same program at a first preview (every id and computed output unknown)", () => {
  it("still passes: references resolve through the engine's property dependencies", async () => {
    expect(await violations("", new FirstPreviewMocks())).toEqual({ list: [], notApplicable: [] });
  });
  it("still catches a detached SCP and a dropped alarm", async () => {
    expect((await violations("detach-scp", new FirstPreviewMocks())).list).toEqual([
      '[mandatory] scp-protects-cloudtrail: attach Policy "logging-scp" to the organization root (or to every top-level OU): it is not attached anywhere',
    ]);
    expect((await violations("drop-alarm", new FirstPreviewMocks())).list).toEqual([
      "[mandatory] cis-metric-filters-alarms: CIS 4.3 (Usage of the root user): no alarm watches CISBenchmark/RootAccountUsage; create cis-4-3-RootAccountUsage",
    ]);
  });
});
