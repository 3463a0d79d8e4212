import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import type { AuditResult } from "../../../agent/finding";
import { stableFindingId } from "../../../agent/report/asff";
import { renderOcsf, toOcsf } from "../../../agent/report/ocsf";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, INSPECTOR_NA, SMALL_RESULT, TRAIL_PASS } from "./fixtures";
import { LOG, NAMED_RESULT, POLICY_FAIL, PROD, SSM_ERRORS } from "./named-fixtures";

const RESULT: AuditResult = { ...SMALL_RESULT, securityAccountId: "333333333333", homeRegion: "us-east-1" };
/** The Compliance Finding schema of py-ocsf-models 0.10.0 (OCSF 1.5.0); scripts/ocsf-compliance-finding-schema.sh regenerates it. */
const SCHEMA = JSON.parse(
  readFileSync(join(__dirname, "..", "..", "fixtures", "ocsf", "compliance-finding.schema.json"), "utf8"),
);

function validator() {
  // schemaId "auto" and no meta-schema check: the pydantic schema names no $schema (it is draft 2020-12 style, $defs).
  return new Ajv({ allErrors: true, schemaId: "auto", validateSchema: false }).compile(SCHEMA);
}

describe("OCSF format", () => {
  it("every record of a mixed result validates against py-ocsf-models' ComplianceFinding schema (OCSF 1.5.0)", () => {
    expect(SCHEMA.$comment).toMatch(/py-ocsf-models 0\.10\.0 \(OCSF 1\.5\.0\)/);
    const validate = validator();
    const records = JSON.parse(renderOcsf(RESULT)) as unknown[];
    expect(records).toHaveLength(RESULT.findings.length);
    for (const r of records) expect(validate(r) ? [] : validate.errors).toEqual([]);
  });

  it("cloud.account.name is the account's Organizations name when known, else its id; records still validate", () => {
    const validate = validator();
    for (const r of JSON.parse(renderOcsf(NAMED_RESULT)) as unknown[])
      expect(validate(r) ? [] : validate.errors).toEqual([]);
    expect(toOcsf(NAMED_RESULT, POLICY_FAIL).cloud).toMatchObject({ account: { uid: LOG, name: "acme-log-archive" } });
    const unnamed = SSM_ERRORS.find((f) => f.account === PROD)!;
    expect(toOcsf(NAMED_RESULT, unnamed).cloud).toMatchObject({ account: { uid: PROD, name: PROD } });
  });

  it("the schema refuses a record without finding_info, with an unknown severity_id or a type_uid of another class", () => {
    const validate = validator();
    const good = toOcsf(RESULT, FOREIGN_POLICY_FAIL);
    const { finding_info: _fi, ...noInfo } = good;
    expect(validate(noInfo)).toBe(false);
    expect(validate({ ...good, severity_id: 7 })).toBe(false);
    expect(validate({ ...good, type_uid: 200401 })).toBe(false);
  });

  it("a FAIL is class 2003 in category 2, Create, with its severity, compliance Fail, the stable uid and the AWS account", () => {
    expect(toOcsf(RESULT, FOREIGN_POLICY_FAIL)).toMatchObject({
      class_uid: 2003,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200301,
      severity_id: 5,
      severity: "Critical",
      status_id: 1,
      time: Date.parse("2026-11-22T10:00:00.000Z"),
      metadata: { version: "1.5.0", product: { name: "orgwarden", vendor_name: "orgwarden" } },
      finding_info: {
        uid: stableFindingId(FOREIGN_POLICY_FAIL),
        title: "The archive bucket policy means exactly what the baseline intends",
      },
      compliance: { status_id: 3, status: "Fail", control: "archive-bucket-policy" },
      resources: [
        {
          uid: "arn:aws:s3:::orgwarden-dev-cloudtrail-111111111111",
          type: "s3",
          region: "us-east-1",
          cloud_partition: "aws",
        },
      ],
      cloud: { provider: "AWS", region: "us-east-1", account: { uid: "222222222222", type_id: 10 } },
    });
  });

  it("PASS, ERROR and NOT_APPLICABLE map to compliance Pass 1, Warning 2 and Other 99; CIS controls name the standard and requirement", () => {
    expect(toOcsf(RESULT, TRAIL_PASS).compliance).toEqual({
      status_id: 1,
      status: "Pass",
      control: "trail-logging",
      standards: ["CIS AWS Foundations Benchmark v3.0.0"],
      requirements: ["3.1"],
    });
    expect(toOcsf(RESULT, CONFIG_ERROR).compliance).toMatchObject({
      status_id: 2,
      status: "Warning",
      status_detail: "DescribeConfigurationRecorders: AccessDeniedException: User is not authorized",
    });
    const na = toOcsf(RESULT, INSPECTOR_NA);
    expect(na.compliance).toMatchObject({ status_id: 99, status: "Not Applicable" });
    expect(na.cloud).toMatchObject({ region: "us-east-1", account: { uid: "333333333333" } });
  });
});
