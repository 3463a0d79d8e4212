import Ajv from "ajv";
import { BatchImportFindingsCommand, GetFindingsCommand, type AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import { describe, expect, it } from "vitest";
import {
  exportToSecurityHub,
  importFindings,
  planImport,
  securityHubClient,
  withExportProblems,
} from "../../../agent/export/security-hub";
import type { AuditResult, Finding } from "../../../agent/finding";
import { stableFindingId, toAsff } from "../../../agent/report/asff";
import { asffJsonSchema } from "../../helpers/asff-schema";
import { MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";
import { MOTO_DEFAULT_ACCOUNT, motoSettings, REGION } from "../collectors/_clients";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, INSPECTOR_NA, SMALL_RESULT, TRAIL_PASS } from "../report/fixtures";
import { findingId } from "../../../agent/finding";

const moto = useMoto();
// Static credentials act in moto's default account: that account is the security account here.
const RUN1: AuditResult = {
  ...SMALL_RESULT,
  securityAccountId: MOTO_DEFAULT_ACCOUNT,
  homeRegion: REGION,
  findings: [TRAIL_PASS, INSPECTOR_NA, CONFIG_ERROR, FOREIGN_POLICY_FAIL],
};
const client = () => securityHubClient(motoSettings(moto.endpoint), REGION, { ...MOTO_CREDENTIALS });

async function held(): Promise<Map<string, AwsSecurityFinding>> {
  const r = await client().send(new GetFindingsCommand({ MaxResults: 100 }));
  return new Map((r.Findings ?? []).map((f) => [f.Id!, f]));
}

describe("Security Hub export (moto)", () => {
  it("first run: FAIL and ERROR land ACTIVE under the security account's product; PASS and NOT_APPLICABLE are not imported", async () => {
    const e = await exportToSecurityHub(RUN1, client());
    expect(e).toEqual({ imported: 2, archived: 0, failed: [], errors: [] });
    const hub = await held();
    expect([...hub.keys()].sort()).toEqual(
      [stableFindingId(CONFIG_ERROR), stableFindingId(FOREIGN_POLICY_FAIL)].sort(),
    );
    const fail = hub.get(stableFindingId(FOREIGN_POLICY_FAIL))!;
    expect(fail).toMatchObject({
      ProductArn: `arn:aws:securityhub:${REGION}:${MOTO_DEFAULT_ACCOUNT}:product/${MOTO_DEFAULT_ACCOUNT}/default`,
      GeneratorId: "archive-bucket-policy",
      RecordState: "ACTIVE",
      Compliance: { Status: "FAILED" },
    });
  });

  it("second run: a fixed finding and one no longer reported are ARCHIVED, a still-failing one keeps its CreatedAt, a new one is ACTIVE; every sent document validates", async () => {
    await exportToSecurityHub(RUN1, client());
    const fixed: Finding = { ...FOREIGN_POLICY_FAIL, status: "PASS", message: "The bucket policy is as intended" };
    const newFail: Finding = { ...TRAIL_PASS, status: "FAIL", message: "The organization trail is not logging" };
    const run2: AuditResult = {
      ...RUN1,
      runId: "1c6f4b9f-7a2e-4d3b-8f8c-4e3a2b1d0c9a",
      now: "2026-11-23T10:00:00.000Z",
      startedAt: "2026-11-23T10:00:01.000Z",
      finishedAt: "2026-11-23T10:00:09.000Z",
      findings: [newFail, INSPECTOR_NA, fixed],
    };
    const docs = planImport(run2, [...(await held()).values()]);
    const validate = new Ajv({ allErrors: true }).compile(asffJsonSchema());
    for (const d of docs) expect(validate(d) ? [] : validate.errors).toEqual([]);

    const e = await exportToSecurityHub(run2, client());
    expect(e).toEqual({ imported: 1, archived: 2, failed: [], errors: [] });
    const hub = await held();
    expect(hub.get(stableFindingId(newFail))).toMatchObject({ RecordState: "ACTIVE", CreatedAt: run2.now });
    expect(hub.get(stableFindingId(fixed))).toMatchObject({
      RecordState: "ARCHIVED",
      Compliance: { Status: "PASSED" },
      // First seen in run 1: the update keeps it.
      CreatedAt: RUN1.now,
      UpdatedAt: run2.finishedAt,
    });
    expect(hub.get(stableFindingId(CONFIG_ERROR))).toMatchObject({
      RecordState: "ARCHIVED",
      UpdatedAt: run2.finishedAt,
    });
  });

  it("never archives another product's or another stack's finding (moto ignores GetFindings filters; they are applied again)", async () => {
    const foreign = { ...toAsff(RUN1, FOREIGN_POLICY_FAIL), Id: "other-tool/1", ProductFields: { x: "y" } };
    const otherStack = { ...toAsff({ ...RUN1, stack: "prod" }, CONFIG_ERROR), Id: "orgwarden/prod/1" };
    await client().send(new BatchImportFindingsCommand({ Findings: [foreign, otherStack] }));
    const e = await exportToSecurityHub({ ...RUN1, findings: [TRAIL_PASS] }, client());
    expect(e).toEqual({ imported: 0, archived: 0, failed: [], errors: [] });
    const hub = await held();
    expect(hub.get("other-tool/1")?.RecordState).toBe("ACTIVE");
    expect(hub.get("orgwarden/prod/1")?.RecordState).toBe("ACTIVE");
  });

  it("250 findings go in 3 BatchImportFindings calls of at most 100, and GetFindings is read page by page", async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({
      ...FOREIGN_POLICY_FAIL,
      resourceArn: `arn:aws:s3:::b-${i}`,
      id: findingId({ ...FOREIGN_POLICY_FAIL, resourceArn: `arn:aws:s3:::b-${i}` }),
    }));
    const c = client();
    const sizes: number[] = [];
    c.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "BatchImportFindingsCommand")
          sizes.push((args.input as { Findings: unknown[] }).Findings.length);
        return next(args);
      },
      { step: "initialize", name: "countBatches" },
    );
    expect(await exportToSecurityHub({ ...RUN1, findings: many }, c)).toMatchObject({ imported: 250, failed: [] });
    expect(sizes).toEqual([100, 100, 50]);
    // Run again with none failing: all 250 are found across pages and archived.
    sizes.length = 0;
    expect(await exportToSecurityHub({ ...RUN1, findings: [] }, c)).toMatchObject({ imported: 0, archived: 250 });
    expect(sizes).toEqual([100, 100, 50]);
  });

  it("a finding Security Hub rejects (FailedFindings) is reported with its error and makes the run incomplete", async () => {
    const good = toAsff(RUN1, FOREIGN_POLICY_FAIL);
    const bad = { ...toAsff(RUN1, CONFIG_ERROR), Resources: [] };
    const r = await importFindings(client(), [good, bad]);
    expect(r.errors).toEqual([]);
    expect([...r.accepted]).toEqual([good.Id]);
    expect(r.failed).toEqual([
      { id: bad.Id, code: "InvalidInput", message: expect.stringContaining("at least one resource") },
    ]);
    const result = withExportProblems(RUN1, { imported: 1, archived: 0, failed: r.failed, errors: [] });
    expect(result.exitCode).toBe(3);
    expect(result.incomplete).toEqual([
      expect.stringMatching(/^Security Hub rejected finding orgwarden\/config-recorder\//),
    ]);
  });

  it("an unreachable Security Hub is a run-level error naming the calls, not a crash and not a silent skip", async () => {
    const dead = securityHubClient({ ...motoSettings("http://127.0.0.1:1"), maxAttempts: 1 }, REGION, {
      ...MOTO_CREDENTIALS,
    });
    const e = await exportToSecurityHub(RUN1, dead);
    expect(e.imported).toBe(0);
    expect(e.errors).toEqual([
      expect.stringMatching(
        /^Security Hub GetFindings in 123456789012 us-east-1 failed .*resolved findings were not archived$/,
      ),
      expect.stringMatching(/^Security Hub BatchImportFindings of findings 1-2 of 2 failed: /),
    ]);
  });
});
