/** trail-log-integrity judged from observed integrity: one finding per defect (severity by kind, the object's ARN), PASS, ERROR, NOT_APPLICABLE. */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../agent/checks/trail/trail-log-integrity";
import type { Defect } from "../../../agent/integrity/defects";
import { collected, failed } from "../../../agent/model";
import { cleanManifest, cleanObserved, NOW, ORG } from "../checks/fixtures";

const ctx = { now: NOW };
const one = (defects: Defect[]) => {
  const o = cleanObserved();
  o.integrity!.scopes = [
    {
      account: ORG.member,
      region: "us-east-1",
      result: collected({ digestsVerified: 24, logsVerified: 287, bytesHashed: 1, defects }),
    },
  ];
  return o;
};
const bucket = cleanManifest().archive.bucketName;

describe("trail-log-integrity", () => {
  it("a whole chain: PASS naming what was verified", () => {
    const o = one([]);
    const f = evaluate(o, cleanManifest(), ctx);
    expect(f.map((x) => [x.status, x.severity, x.account, x.region, x.resourceArn, x.message])).toEqual([
      [
        "PASS",
        "CRITICAL",
        ORG.member,
        "us-east-1",
        `arn:aws:s3:::${bucket}/AWSLogs/${ORG.id}/${ORG.member}/CloudTrail-Digest/us-east-1/`,
        `Digest chain from ${o.integrity!.window.from} to ${o.integrity!.window.to} is whole: 24 digests and 287 log files verified.`,
      ],
    ]);
  });

  it.each([
    ["log-modified", "CRITICAL"],
    ["digest-missing", "CRITICAL"],
    ["chain-not-contiguous", "CRITICAL"],
    ["tail-truncated", "CRITICAL"],
    ["chain-gap", "HIGH"],
  ] as const)("a %s defect is one FAIL of severity %s on the object's ARN", (kind, severity) => {
    const key = `AWSLogs/${ORG.id}/${ORG.member}/CloudTrail/us-east-1/2026/11/22/x.json.gz`;
    const d: Defect = {
      kind,
      object: `s3://${bucket}/${key}`,
      message: "m",
      ...(kind === "chain-gap" ? { span: { from: "2026-11-22T01:00:00Z", to: "2026-11-22T03:00:00Z" } } : {}),
    };
    const f = evaluate(one([d]), cleanManifest(), ctx);
    expect(f.map((x) => [x.status, x.severity, x.resourceArn, x.observed, x.message])).toEqual([
      [
        "FAIL",
        severity,
        `arn:aws:s3:::${bucket}/${key}`,
        { defect: kind, object: d.object, ...(d.span ? { span: d.span } : {}) },
        "m",
      ],
    ]);
  });

  it("a denied read is ERROR naming the log auditor role and what it needs, never PASS", () => {
    const o = cleanObserved();
    o.integrity!.scopes = [
      {
        account: ORG.member,
        region: "us-east-1",
        result: failed({
          name: "AccessDenied",
          message: "Access Denied",
          kind: "access-denied",
          operation: "GetObject",
          service: "s3",
          account: ORG.member,
          region: "us-east-1",
        }),
      },
    ];
    const [f] = evaluate(o, cleanManifest(), ctx);
    expect([f.status, f.error]).toEqual([
      "ERROR",
      { name: "AccessDenied", operation: "GetObject", message: "Access Denied", kind: "access-denied" },
    ]);
    expect(f.message).toBe(
      `Log file integrity from ${o.integrity!.window.from} to ${o.integrity!.window.to}: not evaluated, because GetObject was denied to the log auditor role ${o.integrity!.roleArn} (AccessDenied: Access Denied); it needs s3:GetObject and s3:ListBucket on the archive, kms:Decrypt under the key policy and cloudtrail:ListPublicKeys.`,
    );
  });

  it("the log auditor role cannot be assumed (an operator's credentials): ERROR saying whom the role trusts and what to do instead", () => {
    const o = cleanObserved();
    const m = cleanManifest();
    const denied = {
      name: "AccessDenied",
      message: "User is not authorized to perform: sts:AssumeRole",
      kind: "access-denied" as const,
      operation: "AssumeRole",
      service: "sts",
      account: ORG.member,
      region: "us-east-1",
    };
    o.integrity!.scopes = [{ account: ORG.member, region: "us-east-1", result: failed(denied) }];
    const [f] = evaluate(o, m, ctx);
    expect([f.status, f.error?.operation]).toEqual(["ERROR", "AssumeRole"]);
    expect(f.message).toBe(
      `Log file integrity from ${o.integrity!.window.from} to ${o.integrity!.window.to}: not evaluated, because the log auditor role ${o.integrity!.roleArn} could not be assumed (AccessDenied: User is not authorized to perform: sts:AssumeRole); its trust admits only the audit agent's role in the security account ${m.organization.securityAccountId}, so a run from other credentials cannot validate the digest chain: run the audit as that role (the nightly run does), or validate a copy of the archive with \`npm run audit -- validate-logs\` as a principal the log key's policy lets decrypt.`,
    );
  });

  it("no audit.logAuditorRoleArn: one NOT_APPLICABLE saying why, whatever was observed", () => {
    const m = cleanManifest();
    delete m.audit.logAuditorRoleArn;
    const f = evaluate(cleanObserved(), m, ctx);
    expect(f.map((x) => [x.status, x.account, x.observed])).toEqual([
      ["NOT_APPLICABLE", "-", "audit.logAuditorRoleArn is not set"],
    ]);
  });

  it("a role named but nothing collected: ERROR, not PASS", () => {
    const o = cleanObserved();
    delete o.integrity;
    expect(evaluate(o, cleanManifest(), ctx).map((x) => [x.status, x.error?.name])).toEqual([
      ["ERROR", "NotCollected"],
    ]);
  });
});
