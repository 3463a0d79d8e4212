/**
 * The log analyst's reach, proven with the IAM simulator on the documents each example stack
 * GENERATES (captured under the Pulumi mocks): the analyst role's trust and policy, the archive and
 * flow-log bucket policies, the log key, the flow-log key, the results bucket and key, and the
 * security-baseline SCPs. Athena reads S3 and S3 calls KMS with the analyst's own credentials, so
 * each read is the analyst's request with kms:ViaService = S3 in the home region.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../../baseline";
import { allowAll, roleCaller, simulate, type IamCaller, type OrgOfScps, type SimRequest } from "../../helpers/iam-sim";
import { EXPECTED } from "../expected";
import { one, runStack, STACKS } from "../stack";

const SCPS = ["logging-scp-policy", "logging-scp-detection-policy", "logging-scp-identity-policy"];
const json = (v: unknown) => JSON.parse(v as string) as PolicyDocument;
const ANALYST = "orgwarden-log-analyst";

describe.each(STACKS)("the log analyst under simulation (%s stack, generated documents)", (stack) => {
  const x = EXPECTED[stack];
  const org: OrgOfScps = { orgId: x.orgId, management: x.mgmt };
  const member = x.logArchiveId;
  const trailObject = `AWSLogs/${x.orgId}/${member}/CloudTrail/${x.home}/2026/11/30/${member}_CloudTrail_${x.home}_20261130T0005Z_a1B2c3D4e5F6g7H8.json.gz`;
  const flowObject = `AWSLogs/${member}/vpcflowlogs/${x.home}/2026/11/30/11/${member}_vpcflowlogs_${x.home}_fl-0a1b2c3d_20261130T1100Z_hash.log.parquet`;
  const resultObject = "results/0a1b2c3d-query.csv";
  const s3 = (bucket: string, key?: string) => `arn:aws:s3:::${bucket}${key === undefined ? "" : `/${key}`}`;
  type Doc = "trust" | "analyst" | "archive" | "flow" | "logKey" | "flowKey" | "results" | "resultsKey";
  let d: Record<Doc, PolicyDocument> & { scps: PolicyDocument[] };
  const arns: Record<"logKey" | "flowKey" | "resultsKey", string> = { logKey: "", flowKey: "", resultsKey: "" };
  beforeAll(async () => {
    const run = await runStack(stack);
    const key = (n: string) => one(run, "aws:kms/key:Key", n);
    const bucketPolicy = (n: string) => json(one(run, "aws:s3/bucketPolicy:BucketPolicy", n).inputs.policy);
    d = {
      trust: json(one(run, "aws:iam/role:Role", "athena-analyst-role").inputs.assumeRolePolicy),
      analyst: json(one(run, "aws:iam/rolePolicy:RolePolicy", "athena-analyst-policy").inputs.policy),
      archive: bucketPolicy("archive-policy"),
      flow: bucketPolicy("flow-logs-policy"),
      results: bucketPolicy("athena-results-policy"),
      logKey: json(key("log-key-key").inputs.policy),
      flowKey: json(key("flow-logs-key").inputs.policy),
      resultsKey: json(key("athena-results-key").inputs.policy),
      scps: SCPS.map((n) => json(one(run, "aws:organizations/policy:Policy", n).inputs.content)),
    };
    arns.logKey = key("log-key-key").outputs.arn as string;
    arns.flowKey = key("flow-logs-key").outputs.arn as string;
    arns.resultsKey = key("athena-results-key").outputs.arn as string;
  });

  const caller = (roleName: string, policies: () => PolicyDocument[]) => (): IamCaller =>
    roleCaller({ accountId: x.securityId, roleName, identityPolicies: policies(), orgId: x.orgId });
  const analyst = caller(ANALYST, () => [d.analyst]);
  /** Roles of the security account that hold s3:* and kms:* of their own: only a resource policy stops them. */
  const others = [
    ["the audit read role", "orgwarden-audit-read"],
    ["another admin role of the security account", "SecurityAdmin"],
  ] as const;
  const strong = (name: string) => caller(name, () => [allowAll(["s3:*", "kms:*"])])();
  const sim = (r: Omit<SimRequest, "scps" | "organization">) => simulate({ ...r, scps: d.scps, organization: org });
  const viaS3 = (c: IamCaller) => ({
    "kms:ViaService": `s3.${x.home}.amazonaws.com`,
    "kms:CallerAccount": c.accountId,
  });

  const readTrail = (c: IamCaller, action = "s3:GetObject") =>
    sim({
      caller: c,
      action,
      resource: s3(x.archive, trailObject),
      resourceAccount: x.logArchiveId,
      resourcePolicy: d.archive,
    });
  const readFlow = (c: IamCaller, action = "s3:GetObject") =>
    sim({
      caller: c,
      action,
      resource: s3(x.flowLogs, flowObject),
      resourceAccount: x.logArchiveId,
      resourcePolicy: d.flow,
    });
  const decryptTrail = (c: IamCaller, extra: Record<string, string | null> = {}) =>
    sim({
      caller: c,
      action: "kms:Decrypt",
      resource: arns.logKey,
      resourceAccount: x.securityId,
      resourcePolicy: d.logKey,
      context: {
        ...viaS3(c),
        "kms:EncryptionContext:aws:cloudtrail:arn": x.trailArn,
        "kms:EncryptionContext:aws:s3:arn": s3(x.archive, trailObject),
        ...extra,
      },
    });
  const decryptFlow = (c: IamCaller) =>
    sim({
      caller: c,
      action: "kms:Decrypt",
      resource: arns.flowKey,
      resourceAccount: x.logArchiveId,
      resourcePolicy: d.flowKey,
      context: { ...viaS3(c), "kms:EncryptionContext:aws:s3:arn": s3(x.flowLogs, flowObject) },
    });

  it("a configured principal may assume the analyst role; another role of the account, with sts:*, may not", async () => {
    const principal = x.athena.analystPrincipals[0].replaceAll("*", "x");
    const assume = (c: IamCaller) =>
      sim({
        caller: c,
        action: "sts:AssumeRole",
        resource: `arn:aws:iam::${x.securityId}:role/${ANALYST}`,
        resourceAccount: x.securityId,
        resourcePolicy: d.trust,
      });
    const ok = await assume(caller(principal, () => [allowAll("sts:AssumeRole")])());
    expect(ok.result).toBe("Allowed");
    expect(ok.scpResult).toBe("Allowed");
    expect((await assume(caller("SecurityAdmin", () => [allowAll("sts:*")])())).result).toBe("ImplicitlyDenied");
  });

  it("the analyst reads a CloudTrail log file and a flow-log object in the log-archive account (no SCP denies)", async () => {
    for (const o of [await readTrail(analyst()), await readFlow(analyst())]) {
      expect(o.result).toBe("Allowed");
      expect(o.scpApplied).toBe(true);
      expect(o.scpResult).toBe("Allowed");
    }
  });

  it("the analyst lists the log prefixes Athena plans splits from", async () => {
    const list = (bucket: string, prefix: string, policy: PolicyDocument) =>
      sim({
        caller: analyst(),
        action: "s3:ListBucket",
        resource: s3(bucket),
        resourceAccount: x.logArchiveId,
        resourcePolicy: policy,
        context: { "s3:prefix": prefix },
      });
    expect(
      (await list(x.archive, `AWSLogs/${x.orgId}/${member}/CloudTrail/${x.home}/2026/11/30/`, d.archive)).result,
    ).toBe("Allowed");
    expect((await list(x.flowLogs, `AWSLogs/${member}/vpcflowlogs/${x.home}/2026/11/30/11/`, d.flow)).result).toBe(
      "Allowed",
    );
  });

  it("the analyst decrypts a CloudTrail log file and a flow-log object through S3 (both key policies; no SCP denies)", async () => {
    for (const o of [await decryptTrail(analyst()), await decryptFlow(analyst())]) {
      expect(o.result).toBe("Allowed");
      expect(o.scpResult).toBe("Allowed");
    }
  });

  it("the analyst cannot decrypt with the log key outside S3, nor ciphertext that is not CloudTrail's", async () => {
    expect((await decryptTrail(analyst(), { "kms:ViaService": null })).result).not.toBe("Allowed");
    expect((await decryptTrail(analyst(), { "kms:EncryptionContext:aws:cloudtrail:arn": null })).result).not.toBe(
      "Allowed",
    );
  });

  it("the analyst cannot write, delete or read old versions of a log object", async () => {
    for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObjectVersion"]) {
      expect((await readTrail(analyst(), action)).result, `archive ${action}`).not.toBe("Allowed");
      expect((await readFlow(analyst(), action)).result, `flow logs ${action}`).not.toBe("Allowed");
    }
  });

  it.each(others)("%s cannot read or decrypt the logs, even holding s3:* and kms:*", async (_t, name) => {
    expect((await readTrail(strong(name))).result).not.toBe("Allowed");
    expect((await readFlow(strong(name))).result).not.toBe("Allowed");
    expect((await decryptTrail(strong(name))).result).not.toBe("Allowed");
  });

  it("the analyst writes and reads query results under the results key; another role cannot read them", async () => {
    const onResults = (c: IamCaller, action: string) =>
      sim({
        caller: c,
        action,
        resource: s3(x.athena.resultsBucket, resultObject),
        resourceAccount: x.securityId,
        resourcePolicy: d.results,
      });
    const resultsKey = (c: IamCaller, action: string) =>
      sim({
        caller: c,
        action,
        resource: arns.resultsKey,
        resourceAccount: x.securityId,
        resourcePolicy: d.resultsKey,
        context: { ...viaS3(c), "kms:EncryptionContext:aws:s3:arn": s3(x.athena.resultsBucket, resultObject) },
      });
    for (const action of ["s3:PutObject", "s3:GetObject"])
      expect((await onResults(analyst(), action)).result, action).toBe("Allowed");
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"])
      expect((await resultsKey(analyst(), action)).result, action).toBe("Allowed");
    expect((await onResults(strong("SecurityAdmin"), "s3:GetObject")).result).not.toBe("Allowed");
    expect((await resultsKey(strong("SecurityAdmin"), "kms:Decrypt")).result).not.toBe("Allowed");
  });

  it("the analyst runs queries only in the log workgroup and changes nothing in Athena or Glue", async () => {
    const on = (action: string, resource: string) =>
      sim({ caller: analyst(), action, resource, resourceAccount: x.securityId });
    const wg = `arn:aws:athena:${x.home}:${x.securityId}:workgroup/orgwarden-${stack}-logs`;
    expect((await on("athena:StartQueryExecution", wg)).result).toBe("Allowed");
    expect((await on("athena:StartQueryExecution", wg.replace(/logs$/, "other"))).result).not.toBe("Allowed");
    expect((await on("athena:UpdateWorkGroup", wg)).result).not.toBe("Allowed");
    const table = `arn:aws:glue:${x.home}:${x.securityId}:table/orgwarden_${stack}_logs/cloudtrail`;
    expect((await on("glue:GetTable", table)).result).toBe("Allowed");
    expect((await on("glue:UpdateTable", table)).result).not.toBe("Allowed");
    expect((await on("glue:DeleteTable", table)).result).not.toBe("Allowed");
  });
});
