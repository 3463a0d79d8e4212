/**
 * The access-log bucket policy exactly as each example stack plans it, proven with the IAM
 * simulator: S3 server access logging delivers for the archive and for the Config bucket, each
 * under its own prefix, and nobody deletes an access log.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../baseline";
import { allowAll, roleCaller, serviceCaller, simulate } from "../helpers/iam-sim";
import { EXPECTED } from "./expected";
import { one, runStack, STACKS } from "./stack";

describe.each(STACKS)("generated %s access-log bucket policy under simulation", (stack) => {
  const x = EXPECTED[stack];
  const bucket = `arn:aws:s3:::${x.accessLogs}`;
  let policy: PolicyDocument;
  beforeAll(async () => {
    const run = await runStack(stack);
    policy = JSON.parse(
      one(run, "aws:s3/bucketPolicy:BucketPolicy", "access-logs-policy").inputs.policy as string,
    ) as PolicyDocument;
  });
  const logging = (source: string) =>
    serviceCaller({
      service: "logging.s3.amazonaws.com",
      sourceArn: `arn:aws:s3:::${source}`,
      sourceAccount: x.logArchiveId,
    });
  const put = (source: string, key: string) =>
    simulate({
      caller: logging(source),
      action: "s3:PutObject",
      resource: `${bucket}/${key}`,
      resourceAccount: x.logArchiveId,
      resourcePolicy: policy,
    });

  it("S3 logging for the Config bucket may write under <config bucket>/", async () => {
    const o = await put(x.configBucket, `${x.configBucket}/2026-12-01-09-00-00-A1B2C3D4E5F6A7B8`);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:S3ServerAccessLogsPolicy2"]);
  });

  it("S3 logging for the archive may still write under <archive>/", async () => {
    const o = await put(x.archive, `${x.archive}/2026-12-01-09-00-00-A1B2C3D4E5F6A7B8`);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toEqual(["resource:S3ServerAccessLogsPolicy"]);
  });

  it("S3 logging for the Config bucket may not write under the archive's prefix", async () => {
    expect((await put(x.configBucket, `${x.archive}/2026-12-01-09-00-00-A1B2C3D4E5F6A7B8`)).result).toBe(
      "ImplicitlyDenied",
    );
  });

  it("a log-archive administrator is explicitly denied deleting an access log version by the bucket policy", async () => {
    const admin = roleCaller({
      accountId: x.logArchiveId,
      roleName: "OrganizationAccountAccessRole",
      identityPolicies: [allowAll()],
      orgId: x.orgId,
    });
    const o = await simulate({
      caller: admin,
      action: "s3:DeleteObjectVersion",
      resource: `${bucket}/${x.configBucket}/2026-12-01-09-00-00-A1B2C3D4E5F6A7B8`,
      resourceAccount: x.logArchiveId,
      resourcePolicy: policy,
    });
    expect(o.explicitDenials).toEqual(["resource:DenyObjectDeletion"]);
    expect(o.result).toBe("ExplicitlyDenied");
  });
});
