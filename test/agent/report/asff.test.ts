import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { findingIds, productArn, renderAsff, stableFindingId, toAsff } from "../../../agent/report/asff";
import { renderOcsf } from "../../../agent/report/ocsf";
import type { AuditResult } from "../../../agent/finding";
import { asffJsonSchema } from "../../helpers/asff-schema";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, INSPECTOR_NA, SMALL_RESULT, TRAIL_PASS } from "./fixtures";
import { findingId } from "../../../agent/finding";
import { DEV, LOG, NAMED_RESULT, POLICY_FAIL, PROD, SSM_ERRORS } from "./named-fixtures";

const RESULT: AuditResult = { ...SMALL_RESULT, securityAccountId: "333333333333", homeRegion: "us-east-1" };
const PRODUCT = "arn:aws:securityhub:us-east-1:333333333333:product/333333333333/default";

function validator() {
  const schema = asffJsonSchema();
  // allErrors: a failing document lists every problem, not the first one.
  return new Ajv({ allErrors: true, schemaId: "auto" }).compile(schema);
}

describe("ASFF format", () => {
  it("every document of a mixed result validates against AwsSecurityFinding from AWS's Security Hub service model", () => {
    const validate = validator();
    const docs = JSON.parse(renderAsff(RESULT)) as unknown[];
    expect(docs).toHaveLength(RESULT.findings.length);
    for (const doc of docs) expect(validate(doc) ? [] : validate.errors).toEqual([]);
  });

  it("names the account (AwsAccountName) where Organizations named it, and still validates", () => {
    const validate = validator();
    const docs = JSON.parse(renderAsff(NAMED_RESULT)) as { AwsAccountId: string; AwsAccountName?: string }[];
    for (const doc of docs) expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(toAsff(NAMED_RESULT, POLICY_FAIL)).toMatchObject({ AwsAccountId: LOG, AwsAccountName: "acme-log-archive" });
    const dev = SSM_ERRORS.find((f) => f.account === DEV)!;
    expect(toAsff(NAMED_RESULT, dev).AwsAccountName).toBe("payments-dev");
    // Organizations gave this one no name: the member is left out rather than filled with the id.
    expect(
      "AwsAccountName" in
        toAsff(
          NAMED_RESULT,
          SSM_ERRORS.find((f) => f.account === PROD)!,
        ),
    ).toBe(false);
    expect("AwsAccountName" in toAsff(RESULT, FOREIGN_POLICY_FAIL)).toBe(false);
  });

  it("the schema is strict: a misspelt member, a wrong severity label or an over-long title is refused", () => {
    const validate = validator();
    const good = toAsff(RESULT, FOREIGN_POLICY_FAIL);
    expect(validate({ ...good, Titel: "x" })).toBe(false);
    expect(validate({ ...good, Severity: { Label: "SEVERE" } })).toBe(false);
    expect(validate({ ...good, Title: "x".repeat(257) })).toBe(false);
    const { Resources: _r, ...noResources } = good;
    expect(validate(noResources)).toBe(false);
  });

  it("maps a FAIL to the security account's custom product, FAILED, its severity, a CIS type and the resource", () => {
    const doc = toAsff(RESULT, FOREIGN_POLICY_FAIL);
    expect(doc).toMatchObject({
      SchemaVersion: "2018-10-08",
      Id: stableFindingId(FOREIGN_POLICY_FAIL),
      ProductArn: PRODUCT,
      GeneratorId: "archive-bucket-policy",
      AwsAccountId: "222222222222",
      CreatedAt: "2026-11-22T10:00:00.000Z",
      UpdatedAt: "2026-11-22T10:00:09.000Z",
      Severity: { Label: "CRITICAL" },
      Compliance: { Status: "FAILED" },
      RecordState: "ACTIVE",
      Resources: [
        {
          Type: "AwsS3Bucket",
          Id: "arn:aws:s3:::orgwarden-dev-cloudtrail-111111111111",
          Partition: "aws",
          Region: "us-east-1",
        },
      ],
    });
    expect(doc.Description).toBe(FOREIGN_POLICY_FAIL.message);
    expect(doc.Remediation?.Recommendation?.Text).toBe(
      "Console: s3api put-bucket-policy | aws s3api put-bucket-policy",
    );
  });

  it("a check judged through a control with a CIS id is typed CIS and names the recommendation", () => {
    const doc = toAsff(RESULT, TRAIL_PASS);
    expect(doc.Types).toEqual([
      "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark",
    ]);
    expect(doc.Compliance).toEqual({
      Status: "PASSED",
      RelatedRequirements: ["CIS AWS Foundations Benchmark v3.0.0/3.1"],
    });
    expect(doc.Title).toBe("The organization trail exists and is logging");
  });

  it("ERROR is WARNING (information missing) and NOT_APPLICABLE is NOT_AVAILABLE; an organization-wide finding lands in the security account", () => {
    expect(toAsff(RESULT, CONFIG_ERROR).Compliance?.Status).toBe("WARNING");
    expect(toAsff(RESULT, CONFIG_ERROR).ProductFields).toMatchObject({
      "orgwarden/Status": "ERROR",
      "orgwarden/Error": "DescribeConfigurationRecorders: AccessDeniedException",
    });
    const na = toAsff(RESULT, INSPECTOR_NA);
    expect(na.Compliance?.Status).toBe("NOT_AVAILABLE");
    expect(na.AwsAccountId).toBe("333333333333");
    expect(na.Resources).toEqual([
      { Type: "AwsAccount", Id: "AWS::::Account:333333333333", Partition: "aws", Region: "us-east-1" },
    ]);
  });

  it("the id is stable across runs and differs in each of check, account, region and resource", () => {
    const base = stableFindingId(FOREIGN_POLICY_FAIL);
    expect(toAsff({ ...RESULT, runId: "other", now: "2026-11-23T10:00:00.000Z" }, FOREIGN_POLICY_FAIL).Id).toBe(base);
    for (const change of [
      { checkId: "x" },
      { account: "999999999999" },
      { region: "eu-west-1" },
      { resourceArn: "y" },
    ]) {
      const changed = { ...FOREIGN_POLICY_FAIL, ...change };
      expect(stableFindingId({ ...changed, id: findingId(changed) })).not.toBe(base);
    }
    expect(base).toMatch(/^orgwarden\/archive-bucket-policy\/222222222222\/us-east-1\/[0-9a-f]{32}$/);
  });

  it("a result without the security account and home region is refused with what is missing", () => {
    expect(() => renderAsff(SMALL_RESULT)).toThrow(/asff format needs the security account and home region/);
    expect(productArn("333333333333", "eu-west-1")).toBe(
      "arn:aws:securityhub:eu-west-1:333333333333:product/333333333333/default",
    );
  });
});

describe("finding ids", () => {
  it("come from each finding's stable id (aspects of one resource differ by key); ASFF and OCSF use the same ids", () => {
    const aspects = ["multi-region", "log-file-validation", "kms"].map((key) => ({
      ...TRAIL_PASS,
      key,
      id: `${TRAIL_PASS.id}#${key}`,
    }));
    expect(findingIds([FOREIGN_POLICY_FAIL, ...aspects])).toEqual(
      [FOREIGN_POLICY_FAIL, ...aspects].map(stableFindingId),
    );
    expect(new Set(findingIds(aspects)).size).toBe(3);
    expect(stableFindingId(aspects[0])).toMatch(/^orgwarden\/trail-logging\/111111111111\/us-east-1\/[0-9a-f]{32}$/);
    const result = { ...RESULT, findings: aspects };
    const ocsfIds = (JSON.parse(renderOcsf(result)) as { finding_info: { uid: string } }[]).map(
      (r) => r.finding_info.uid,
    );
    expect((JSON.parse(renderAsff(result)) as { Id: string }[]).map((d) => d.Id)).toEqual(ocsfIds);
    expect(ocsfIds).toEqual(aspects.map(stableFindingId));
  });

  it("two findings with one id are refused: Security Hub would overwrite one with the other", () => {
    expect(() => findingIds([TRAIL_PASS, { ...TRAIL_PASS, message: "again" }])).toThrow(
      `two findings of one run share the id ${JSON.stringify(TRAIL_PASS.id)}; each needs its own key`,
    );
  });
});
