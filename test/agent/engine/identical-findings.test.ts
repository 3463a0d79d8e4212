/**
 * The test issue #9 asks for: over moto, an in-process run and a batched run through the real
 * Lambda step handlers (batch states written to and read back from a moto S3 bucket) produce the
 * same findings, with drifts so that they are not all PASS.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runAudit } from "../../../agent/run-audit";
import { runCollectStep, runEvaluateStep, runPlanStep, type CollectOutput } from "../../../agent/lambda";
import { seedSandboxOrganization } from "../../../agent/sandbox/seed";
import type { Finding } from "../../../agent/finding";
import { FAST_RETRY_SCALE, MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";
import { lambdaStage, readJson, reportOf, useLambdaCredentials } from "./_lambda-env";
import { captureTelemetry } from "../../helpers/telemetry";

const moto = useMoto();
// The runs' EMF and log lines stay off the CI log.
captureTelemetry();
useLambdaCredentials();

/**
 * moto's GetTrailStatus answers LatestDeliveryTime "now" at each call (DESIGN.md, known gaps), so
 * trail-s3-delivery's age is the time between the two runs' calls (seconds or, past a minute, "1m"): only that age is masked.
 */
const message = (f: Finding) =>
  f.checkId === "trail-s3-delivery"
    ? f.message.replace(/last S3 delivery .+? ago/, "last S3 delivery <moto's now> ago")
    : f.message;

const comparable = (fs: Finding[]) =>
  fs
    .map((f) => ({ id: f.id, status: f.status, severity: f.severity, message: message(f) }))
    .sort((a, b) => a.id.localeCompare(b.id));

describe("in-process and batched runs over moto", () => {
  it("batch size 1 and 2 through the plan, collect and evaluate handlers give the in-process run's findings", async () => {
    const sb = await seedSandboxOrganization({
      endpoint: moto.endpoint,
      drifts: [
        { kind: "guardduty-disabled", account: "member-0", region: "eu-west-1" },
        { kind: "config-recorder-stopped", account: "security", region: "us-east-1" },
        { kind: "missing-logs", account: "member-1" },
        { kind: "outsider-grant" },
        { kind: "unenrolled-account" },
      ],
    });
    const env = await lambdaStage(moto.endpoint, sb.manifest);
    const now = new Date(Date.now() + 60_000);
    // As the Lambda does: every account, the starting one included, entered through the read role.
    const inProcess = await runAudit({
      manifest: sb.manifest,
      endpointUrl: moto.endpoint,
      credentials: { ...MOTO_CREDENTIALS },
      assumeReadRoleEverywhere: true,
      retryDelayScale: FAST_RETRY_SCALE,
      now,
    });
    const statuses = new Set(inProcess.findings.map((f) => f.status));
    expect([...statuses].sort()).toEqual(["ERROR", "FAIL", "NOT_APPLICABLE", "PASS"]);
    const failing = inProcess.findings.filter((f) => f.status === "FAIL").map((f) => f.checkId);
    expect([...new Set(failing)].sort()).toEqual([
      "accounts-enrolled",
      "archive-delivery-freshness",
      "config-delivery-channel",
      "config-recorder",
      // moto refuses config, securityhub and inspector2 as delegated-administrator services.
      "delegated-administrators",
      // moto cannot associate another account's VPC with the log-archive account's configuration.
      "dns-query-log-associations",
      // moto reports every query logging configuration NOT_SHARED.
      "dns-query-log-config",
      // moto's RAM cannot hold a query logging configuration: no share holds it.
      "dns-query-log-share",
      // The unenrolled account was never given the member baseline's forwarding rules.
      "event-forwarding-rules",
      "guardduty-enabled",
      // The disabled detector and the unenrolled account's missing ones: no feature of theirs is on.
      "guardduty-features",
      // The unenrolled account was never given Inspector or Security Hub.
      "inspector-enabled",
      // Nor associated with the security account's Inspector (AWS associates an account that joins; moto does not).
      "inspector-members",
      "kms-grants",
      "securityhub-enabled",
      // moto reports no StackSet drift; and the unenrolled account, under no target OU, gets no member baseline.
      "stackset-drift",
      "stackset-instances",
      "trail-cloudwatch-delivery",
      "trail-digest-delivery",
      // The unenrolled account's default VPCs have no flow log: it gets no member baseline.
      "vpc-flow-logs",
    ]);
    // 3 named accounts + 2 members + the unenrolled one.
    expect(inProcess.scope.accounts).toHaveLength(6);

    for (const size of [1, 2]) {
      const runId = randomUUID();
      const planned = await runPlanStep({ runId }, { ...env, ORGWARDEN_BATCH_SIZE: String(size) }, now);
      expect(planned.runId).toBe(runId);
      expect(planned.planKey).toBe(`orgwarden-audit/sandbox/runs/${runId}/plan.json`);
      expect(planned.batches.map((b) => b.accounts.length)).toEqual(size === 1 ? [1, 1, 1, 1, 1, 1] : [2, 2, 2]);
      expect(planned.batches.flatMap((b) => b.accounts)).toEqual(inProcess.scope.accounts);
      const results: CollectOutput[] = [];
      for (const batch of planned.batches)
        results.push(await runCollectStep({ runId, planKey: planned.planKey, batch }, env));
      expect(results).toEqual(
        planned.batches.map((b) => ({
          index: b.index,
          stateKey: `orgwarden-audit/sandbox/runs/${runId}/batches/${b.index}.json`,
        })),
      );
      // Each state is an S3 object of its own: the batch's accounts, nothing of another batch's.
      const state = await readJson<{ accounts: string[]; detection: { account: string }[] }>(
        moto.endpoint,
        results[0].stateKey,
      );
      expect(state.accounts).toEqual(planned.batches[0].accounts);
      expect([...new Set(state.detection.map((d) => d.account))]).toEqual(planned.batches[0].accounts);

      const evaluated = await runEvaluateStep({ runId, planKey: planned.planKey, batches: results }, env);
      const report = await reportOf(moto.endpoint, evaluated.reports);
      expect(report.runId).toBe(runId);
      expect(comparable(report.findings)).toEqual(comparable(inProcess.findings));
      expect([report.scope, report.incomplete, report.exitCode]).toEqual([
        inProcess.scope,
        inProcess.incomplete,
        inProcess.exitCode,
      ]);
      expect(evaluated.exitCode).toBe(inProcess.exitCode);
    }
  });
});
