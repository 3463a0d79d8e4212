import { describe, expect, it } from "vitest";
import { athenaManifestSchema, flowLogTable, workgroupSpec, workgroupSpecSchema } from "../../../baseline/athena";

const KEY = "arn:aws:kms:us-east-1:333333333333:key/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
const input = {
  name: "orgwarden-prod-logs",
  resultsBucketName: "orgwarden-prod-query-results-111111111111",
  resultsKeyArn: KEY,
  securityAccountId: "333333333333",
  bytesScannedCutoffPerQuery: 100 * 1024 ** 3,
};

describe("workgroupSpec", () => {
  it("is every setting infra lays: enabled, enforced, results SSE_KMS under results/, owner, scan limit, metrics", () => {
    expect(workgroupSpec(input)).toEqual({
      name: "orgwarden-prod-logs",
      description: "orgwarden: responder queries over the CloudTrail archive and the flow logs",
      state: "ENABLED",
      enforced: true,
      publishMetrics: true,
      bytesScannedCutoff: 107374182400,
      resultsLocation: "s3://orgwarden-prod-query-results-111111111111/results/",
      encryption: { option: "SSE_KMS", kmsKeyArn: KEY },
      expectedBucketOwner: "333333333333",
    });
    expect(workgroupSpecSchema.parse(workgroupSpec(input))).toEqual(workgroupSpec(input));
  });

  it.each([
    [
      9_999_999,
      "workgroupSpec: bytesScannedCutoffPerQuery must be an integer ≥ 10000000 (Athena's minimum), got 9999999",
    ],
    [
      1.5e7 + 0.5,
      "workgroupSpec: bytesScannedCutoffPerQuery must be an integer ≥ 10000000 (Athena's minimum), got 15000000.5",
    ],
  ])("refuses a scan limit Athena would refuse (%s)", (cutoff, message) => {
    expect(() => workgroupSpec({ ...input, bytesScannedCutoffPerQuery: cutoff })).toThrow(message);
  });

  it("the manifest's athena area refuses a workgroup other than the one it names", () => {
    const area = {
      databaseName: "orgwarden_prod_logs",
      workgroupName: "orgwarden-prod-logs",
      tables: [flowLogTable({ flowLogBucketName: "orgwarden-prod-flow-logs-111111111111", regions: ["us-east-1"] })],
    };
    expect(athenaManifestSchema.safeParse({ ...area, workgroup: workgroupSpec(input) }).success).toBe(true);
    const r = athenaManifestSchema.safeParse({ ...area, workgroup: { ...workgroupSpec(input), name: "primary" } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["workgroup.name", "athena.workgroup.name must equal athena.workgroupName"],
    ]);
  });
});
