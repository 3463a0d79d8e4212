/** The plan, collect and evaluate handlers over moto (SSM manifest parameter, S3 report bucket), as the state machine calls them. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runCollectStep, runEvaluateStep, runPlanStep, type CollectOutput } from "../../agent/lambda";
import * as entry from "../../agent/lambda";
import { AuditConfigError, lambdaSettings } from "../../agent/options";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import type { AuditResult } from "../../agent/finding";
import { useMoto } from "../helpers/moto";
import { lambdaStage, readJson, reportOf, useLambdaCredentials } from "./engine/_lambda-env";
import { captureTelemetry } from "../helpers/telemetry";

const moto = useMoto();
// The runs' EMF and log lines stay off the CI log.
captureTelemetry();
useLambdaCredentials();

describe("Step Functions step handlers (moto)", () => {
  it("exports the four handlers the bundle's index.handler, index.plan, index.collect and index.evaluate name", () => {
    expect([typeof entry.handler, typeof entry.plan, typeof entry.collect, typeof entry.evaluate]).toEqual([
      "function",
      "function",
      "function",
      "function",
    ]);
  });

  it("evaluate reads every batch of plan.json: a listed state, an unlisted state, a Map error item and a batch missing from the results", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const env = await lambdaStage(moto.endpoint, sb.manifest);
    const now = new Date(Date.now() + 60_000);
    const runId = randomUUID();
    // {} is the execution input infra starts with: the plan picks the run id.
    const fresh = await runPlanStep({}, { ...env, ORGWARDEN_BATCH_SIZE: "1" }, now);
    expect(fresh.runId).toMatch(/^[0-9a-f-]{36}$/);
    const planned = await runPlanStep({ runId }, { ...env, ORGWARDEN_BATCH_SIZE: "1" }, now);
    expect(planned.batches).toHaveLength(5);
    const plan = await readJson<{ runId: string; now: string; batches: unknown }>(moto.endpoint, planned.planKey);
    expect([plan.runId, plan.now, plan.batches]).toEqual([runId, now.toISOString(), planned.batches]);

    const collected: CollectOutput[] = [];
    for (const i of [0, 1, 4])
      collected.push(await runCollectStep({ runId, planKey: planned.planKey, batch: planned.batches[i] }, env));
    const cause = JSON.stringify({ errorType: "Error", errorMessage: "socket hang up", trace: [] });
    const r = await runEvaluateStep(
      {
        runId,
        planKey: planned.planKey,
        batches: [
          collected[0],
          // batch 1 collected but left out of the Map's results; batch 3 neither collected nor listed.
          { index: 2, error: { Error: "States.TaskFailed", Cause: cause } },
          collected[2],
        ],
      },
      env,
    );
    expect(r.exitCode).toBe(3);
    const report: AuditResult = await reportOf(moto.endpoint, r.reports);
    expect(r.reports.at(-1)).toBe("s3://audit-reports/orgwarden-audit/sandbox/latest/report.json");
    expect(report.runId).toBe(runId);
    const [lost2, lost3] = [planned.batches[2].accounts[0], planned.batches[3].accounts[0]];
    const where = (i: number) => `s3://audit-reports/orgwarden-audit/sandbox/runs/${runId}/batches/${i}.json`;
    expect(report.incomplete).toEqual([
      `batch 2 (accounts ${lost2}) left no usable state at ${where(2)}; Step Functions reported States.TaskFailed: Error: socket hang up: its 1 account is ERROR in every per-account check`,
      `batch 3 (accounts ${lost3}) left no usable state at ${where(3)}; the Map reported no error for it: its 1 account is ERROR in every per-account check`,
    ]);
    const gd = (account: string) =>
      report.findings.filter((f) => f.checkId === "guardduty-enabled" && f.account === account).map((f) => f.status);
    expect(gd(lost2)).toEqual(["ERROR", "ERROR"]);
    expect(gd(lost3)).toEqual(["ERROR", "ERROR"]);
    // The unlisted but collected batch 1 is judged from its state object.
    expect(gd(planned.batches[1].accounts[0])).toEqual(["PASS", "PASS"]);
    const freshness = report.findings.find((f) => f.checkId === "archive-delivery-freshness" && f.account === lost3)!;
    expect(freshness.status).toBe("ERROR");
    expect(freshness.message).toContain(
      `collect batch 3 failed with BatchStateMissing (batch 3 (accounts ${lost3}) left no usable state at ${where(3)}`,
    );
    expect(report.scope.accounts).toHaveLength(5);
  });

  it("a state an earlier plan of the same run id left behind is never read as the new plan's", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const env = await lambdaStage(moto.endpoint, sb.manifest);
    const runId = randomUUID();
    const first = await runPlanStep({ runId }, env);
    const collected = await runCollectStep({ runId, planKey: first.planKey, batch: first.batches[0] }, env);
    const again = await runPlanStep({ runId }, env);
    expect(again.planKey).toBe(first.planKey);
    const r = await runEvaluateStep({ runId, planKey: again.planKey, batches: [collected] }, env);
    expect(r.exitCode).toBe(3);
    const report = await reportOf(moto.endpoint, r.reports);
    expect(report.incomplete).toHaveLength(1);
    expect(report.incomplete[0]).toMatch(
      new RegExp(
        `^batch 0 \\(accounts .*\\) left no usable state at the state of batch 0; Step Functions reported BatchStateMismatch: the state object names run ${runId}, plan [0-9a-f-]{36}, batch 0 .*not run ${runId}, plan [0-9a-f-]{36}, batch 0`,
      ),
    );
  });

  it("refuses bad step input with one error naming the key", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const env = await lambdaStage(moto.endpoint, sb.manifest);
    const runId = randomUUID();
    await expect(runPlanStep({ runId: "nightly" }, env)).rejects.toThrow(
      new AuditConfigError("plan step input: runId: runId must be a UUID such as 7d444840-9dc0-11d1-b245-5ffdce74fad2"),
    );
    await expect(runPlanStep({ runID: runId }, env)).rejects.toThrow(
      /^plan step input: \(input\): Unrecognized key: "runID"/,
    );
    const planned = await runPlanStep({ runId }, env);
    expect(planned.batches).toEqual([{ index: 0, accounts: expect.any(Array) }]);
    await expect(
      runCollectStep({ runId, planKey: planned.planKey, batch: { index: 0, accounts: ["1"] } }, env),
    ).rejects.toThrow(/^collect step input: batch\.accounts\.0: /);
    // Another run's key, and a batch the plan does not have.
    const other = randomUUID();
    await expect(
      runCollectStep({ runId: other, planKey: planned.planKey, batch: planned.batches[0] }, env),
    ).rejects.toThrow(
      new AuditConfigError(
        `planKey ${planned.planKey}: not the plan of run ${other}; expected orgwarden-audit/<stack>/runs/${other}/plan.json`,
      ),
    );
    await expect(
      runCollectStep({ runId, planKey: planned.planKey, batch: { index: 1, accounts: ["111111111111"] } }, env),
    ).rejects.toThrow(`batch 1 (111111111111) is not a batch of run ${runId}, which has 1 batch`);
    const missing = `orgwarden-audit/sandbox/runs/${other}/plan.json`;
    await expect(runEvaluateStep({ runId: other, planKey: missing, batches: [] }, env)).rejects.toThrow(
      new AuditConfigError(`s3://audit-reports/${missing}: no such object (the plan step writes it first)`),
    );
    const { ORGWARDEN_REPORT_BUCKET: _bucket, ...noBucket } = env;
    await expect(runPlanStep({}, noBucket)).rejects.toThrow(
      "ORGWARDEN_REPORT_BUCKET must name the report bucket: the plan, collect and evaluate steps keep the run's state there",
    );
  });

  it("ORGWARDEN_BATCH_SIZE is validated like the other settings: a whole number from 1 to 500, default 5", () => {
    const base = { ORGWARDEN_MANIFEST_PARAMETER: "/p", AWS_REGION: "us-east-1" };
    expect(lambdaSettings(base).batchSize).toBe(5);
    expect(lambdaSettings({ ...base, ORGWARDEN_BATCH_SIZE: "" }).batchSize).toBe(5);
    expect(lambdaSettings({ ...base, ORGWARDEN_BATCH_SIZE: "500" }).batchSize).toBe(500);
    for (const bad of ["0", "501", "2.5", "ten", "-1"])
      expect(() => lambdaSettings({ ...base, ORGWARDEN_BATCH_SIZE: bad })).toThrow(
        new AuditConfigError(`ORGWARDEN_BATCH_SIZE must be a whole number from 1 to 500, got "${bad}"`),
      );
  });
});
