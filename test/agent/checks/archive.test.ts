import { describe, expect, it } from "vitest";
import * as policy from "../../../agent/checks/archive/archive-bucket-policy";
import * as freshness from "../../../agent/checks/archive/archive-delivery-freshness";
import * as encryption from "../../../agent/checks/archive/archive-encryption";
import * as lock from "../../../agent/checks/archive/archive-object-lock";
import * as publicAccess from "../../../agent/checks/archive/archive-public-access";
import * as versioning from "../../../agent/checks/archive/archive-versioning";
import { collected, type ObservedState } from "../../../agent/model";
import type { PolicyDocument } from "../../../baseline";
import {
  ACCOUNTS,
  BUCKET,
  cleanManifest,
  cleanObserved,
  CTX,
  failedRead,
  HOME,
  KEY_ARN,
  minutesAgo,
  ORG,
  OTHER_REGION,
  readError,
} from "./fixtures";

const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
function policyOf(o: ObservedState): PolicyDocument {
  if (!o.archive.policy.ok || !o.archive.policy.value) throw new Error("fixture");
  return o.archive.policy.value;
}

describe("archive-bucket-policy", () => {
  it("PASS", () => {
    expect(policy.evaluate(cleanObserved(), cleanManifest(), CTX)).toMatchObject([
      {
        status: "PASS",
        account: ORG.logArchive,
        region: HOME,
        resourceArn: BUCKET_ARN,
        message: `The bucket policy of ${BUCKET} means the same as the intended policy.`,
      },
    ]);
  });

  it("PASS: reordered statements and a one-element array are not drift", () => {
    const o = cleanObserved();
    const p = policyOf(o);
    p.Statement.reverse();
    p.Statement.find((s) => s.Sid === "AWSCloudTrailWrite")!.Action = ["s3:PutObject"];
    expect(policy.evaluate(o, cleanManifest(), CTX).map((f) => f.status)).toEqual(["PASS"]);
  });

  it("FAIL CRITICAL: a foreign principal added as a new statement, named with its Sid", () => {
    const o = cleanObserved();
    policyOf(o).Statement.push({
      Sid: "PartnerRead",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ORG.outsider}:root` },
      Action: "s3:GetObject",
      Resource: `${BUCKET_ARN}/*`,
    });
    const f = policy.evaluate(o, cleanManifest(), CTX);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ status: "FAIL", severity: "CRITICAL", intended: null });
    // The observed value is the statement as written in the live policy, so a reader sees what to remove.
    expect(f[0].observed).toEqual({
      Sid: "PartnerRead",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ORG.outsider}:root` },
      Action: "s3:GetObject",
      Resource: `${BUCKET_ARN}/*`,
    });
    expect(f[0].message).toBe(
      `The bucket policy of ${BUCKET}: added statement "PartnerRead" for AWS:arn:aws:iam::${ORG.outsider}:root. It grants to a principal outside the organization: AWS:arn:aws:iam::${ORG.outsider}:root (account ${ORG.outsider} is not an account of organization ${ORG.id}). To fix: remove it, or add it to the baseline and deploy.`,
    );
  });

  it("FAIL CRITICAL: a foreign principal slipped into an existing statement", () => {
    const o = cleanObserved();
    policyOf(o).Statement.find((s) => s.Sid === "AuditorRead")!.Principal = {
      AWS: [`arn:aws:iam::${ORG.security}:root`, ORG.outsider],
    };
    const f = policy.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => [x.status, x.severity])).toEqual([["FAIL", "CRITICAL"]]);
    expect(f[0].message).toBe(
      `The bucket policy of ${BUCKET}: changed statement "AuditorRead" (Principal): principal added AWS:arn:aws:iam::${ORG.outsider}:root. It grants to a principal outside the organization: AWS:arn:aws:iam::${ORG.outsider}:root (account ${ORG.outsider} is not an account of organization ${ORG.id}). To fix: restore the intended statement (pulumi up restores the intended policy).`,
    );
  });

  it("FAIL HIGH: a removed Deny statement, one finding naming it", () => {
    const o = cleanObserved();
    const p = policyOf(o);
    p.Statement = p.Statement.filter((s) => s.Sid !== "DenyObjectWritesExceptCloudTrail");
    const f = policy.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => [x.status, x.severity])).toEqual([["FAIL", "HIGH"]]);
    expect(f[0].message).toBe(
      `The bucket policy of ${BUCKET}: removed statement "DenyObjectWritesExceptCloudTrail" for AWS:*. To fix: put it back (pulumi up restores the intended policy).`,
    );
    expect(f[0].observed).toBeNull();
  });

  it("FAIL HIGH: a changed condition value (another trail may write)", () => {
    const o = cleanObserved();
    policyOf(o).Statement.find((s) => s.Sid === "AWSCloudTrailWrite")!.Condition!.StringEquals["aws:SourceArn"] =
      `arn:aws:cloudtrail:${HOME}:${ORG.member}:trail/other`;
    const f = policy.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => [x.status, x.severity])).toEqual([["FAIL", "HIGH"]]);
    expect(f[0].message).toBe(
      `The bucket policy of ${BUCKET}: changed statement "AWSCloudTrailWrite" (Condition). To fix: restore the intended statement (pulumi up restores the intended policy).`,
    );
  });

  it("FAIL: one finding per drifted statement", () => {
    const o = cleanObserved();
    const p = policyOf(o);
    p.Statement = p.Statement.filter((s) => s.Sid !== "DenyInsecureTransport");
    p.Statement.push({
      Sid: "Extra",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ORG.member}:root` },
      Action: "s3:ListBucket",
      Resource: BUCKET_ARN,
    });
    const f = policy.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => [x.status, x.severity, x.message.split(":")[1].trim()])).toEqual([
      ["FAIL", "HIGH", 'added statement "Extra" for AWS'],
      ["FAIL", "HIGH", 'removed statement "DenyInsecureTransport" for AWS'],
    ]);
  });

  it("FAIL: no bucket policy at all", () => {
    const o = cleanObserved();
    o.archive.policy = collected(undefined);
    expect(policy.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `The archive bucket ${BUCKET} has no bucket policy: nothing denies insecure transport, foreign readers or overwrites. Apply the intended policy.`,
    );
  });
});

describe("archive-object-lock", () => {
  it("PASS", () => {
    expect(lock.evaluate(cleanObserved(), cleanManifest(), CTX)[0].message).toBe(
      "Object Lock is on in COMPLIANCE mode with 365 days of default retention (intended at least 365).",
    );
  });
  it("PASS: retention in years, converted at 365 days a year", () => {
    const o = cleanObserved();
    o.archive.objectLock = collected({ enabled: true, mode: "COMPLIANCE", years: 1 });
    expect(lock.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "PASS",
      observed: { enabled: true, mode: "COMPLIANCE", days: 365, years: 1 },
    });
  });
  it.each([
    [
      { enabled: true, mode: "COMPLIANCE", days: 30 },
      "Default retention is 30 days, below the intended 365 days; raise it to at least 365 days.",
    ],
    [{ enabled: true, mode: "GOVERNANCE", days: 365 }, "Default retention mode is GOVERNANCE, intended COMPLIANCE."],
    [{ enabled: true, mode: "COMPLIANCE" }, "No default retention period is set; intended at least 365 days."],
    [
      { enabled: false },
      `Object Lock is not enabled on ${BUCKET}; it can only be enabled on a versioned bucket and then set to COMPLIANCE with 365 days.`,
    ],
  ] as const)("FAIL: %o", (value, message) => {
    const o = cleanObserved();
    o.archive.objectLock = collected({ ...value });
    expect(lock.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "FAIL",
      intended: { enabled: true, mode: "COMPLIANCE", minimumDays: 365 },
      message,
    });
  });
  it("FAIL: years below the intended days say both", () => {
    const m = cleanManifest();
    m.archive.objectLock.days = 2555;
    const o = cleanObserved();
    o.archive.objectLock = collected({ enabled: true, mode: "COMPLIANCE", years: 6 });
    expect(lock.evaluate(o, m, CTX)[0].message).toBe(
      "Default retention is 6 years (2190 days), below the intended 2555 days; raise it to at least 2555 days.",
    );
  });
});

describe("archive-versioning", () => {
  it("PASS", () => expect(versioning.evaluate(cleanObserved(), cleanManifest(), CTX)[0].status).toBe("PASS"));
  it.each([
    ["Suspended", `Versioning of ${BUCKET} is Suspended; enable it.`],
    [undefined, `Versioning of ${BUCKET} is never enabled; enable it.`],
  ])("FAIL: %s", (value, message) => {
    const o = cleanObserved();
    o.archive.versioning = collected(value);
    expect(versioning.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({
      status: "FAIL",
      intended: "Enabled",
      observed: value ?? null,
      message,
    });
  });
});

describe("archive-encryption", () => {
  it("PASS", () =>
    expect(encryption.evaluate(cleanObserved(), cleanManifest(), CTX)[0].message).toBe(
      `Default encryption of ${BUCKET} is aws:kms with the intended key.`,
    ));
  it("FAIL: SSE-S3", () => {
    const o = cleanObserved();
    o.archive.encryption = collected({ algorithm: "AES256" });
    expect(encryption.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `Default encryption is AES256, intended aws:kms with ${KEY_ARN}.`,
    );
  });
  it("FAIL: the intended key id as a bare id resolves in the log-archive account, so it is another key", () => {
    const o = cleanObserved();
    o.archive.encryption = collected({ algorithm: "aws:kms", kmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" });
    const resolved = `arn:aws:kms:${HOME}:${ORG.logArchive}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(encryption.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `Default encryption is aws:kms but the key is ${resolved} (the bare key id 1234abcd-12ab-34cd-56ef-1234567890ab resolves to ${resolved}), not the intended ${KEY_ARN}.`,
    );
  });
  it("FAIL: no default encryption configured", () => {
    const o = cleanObserved();
    o.archive.encryption = collected(undefined);
    expect(encryption.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `Default encryption is not configured, intended aws:kms with ${KEY_ARN}.`,
    );
  });
});

describe("archive-public-access", () => {
  it("PASS: two findings, block and ownership", () => {
    expect(publicAccess.evaluate(cleanObserved(), cleanManifest(), CTX).map((f) => f.status)).toEqual(["PASS", "PASS"]);
  });
  it("FAIL: one flag off, named", () => {
    const o = cleanObserved();
    o.archive.publicAccessBlock = collected({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: true,
    });
    const f = publicAccess.evaluate(o, cleanManifest(), CTX);
    expect(f.map((x) => x.status)).toEqual(["FAIL", "PASS"]);
    expect(f[0].message).toBe(`Public access block of ${BUCKET} has blockPublicPolicy off; turn it on.`);
  });
  it("FAIL: ownership allows ACLs", () => {
    const o = cleanObserved();
    o.archive.ownership = collected("ObjectWriter");
    expect(publicAccess.evaluate(o, cleanManifest(), CTX)[1].message).toBe(
      `Object ownership of ${BUCKET} is ObjectWriter, so ACLs still apply; set BucketOwnerEnforced.`,
    );
  });
  it("FAIL: no public access block at all", () => {
    const o = cleanObserved();
    o.archive.publicAccessBlock = collected(undefined);
    expect(publicAccess.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `${BUCKET[0].toUpperCase()}${BUCKET.slice(1)} has no public access block; turn all four settings on.`,
    );
  });
  it("ERROR for the piece that could not be read, the other still judged", () => {
    const o = cleanObserved();
    o.archive.ownership = failedRead("GetBucketOwnershipControls", "s3", ORG.logArchive, HOME);
    expect(publicAccess.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.error?.name])).toEqual([
      ["PASS", undefined],
      ["ERROR", "AccessDeniedException"],
    ]);
  });
});

describe("archive-delivery-freshness", () => {
  const prefix = (a: string, r = HOME) => `AWSLogs/${ORG.id}/${a}/CloudTrail/${r}/`;
  const cells = ACCOUNTS.flatMap((a) => [HOME, OTHER_REGION].map((r) => [a, r] as const));
  it("PASS: one finding per ACTIVE account × governed region", () => {
    const f = freshness.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f.map((x) => [x.account, x.region, x.status, x.resourceArn])).toEqual(
      cells.map(([a, r]) => [a, r, "PASS", `arn:aws:s3:::${BUCKET}/${prefix(a, r)}`]),
    );
    expect(f[1].message).toBe(
      `Account ${ORG.management}, ${OTHER_REGION}: newest CloudTrail object 12m old, within 1h.`,
    );
  });
  it("FAIL for the one account × region with no object (a governed region other than home), and only that one", () => {
    const o = cleanObserved();
    o.archive.newestDeliveryByAccount[ORG.member][OTHER_REGION] = collected(undefined);
    const f = freshness.evaluate(o, cleanManifest(), CTX);
    expect(f.filter((x) => x.status !== "PASS").map((x) => [x.account, x.region, x.status])).toEqual([
      [ORG.member, OTHER_REGION, "FAIL"],
    ]);
    expect(f.find((x) => x.status === "FAIL")!.message).toBe(
      `No CloudTrail object in the last day under s3://${BUCKET}/${prefix(ORG.member, OTHER_REGION)}: account ${ORG.member} is not being recorded in ${OTHER_REGION}. Check that it is still a member of the organization, that the trail is multi-region and that it can deliver.`,
    );
  });
  it("FAIL: stale, with the age; exactly at the threshold is fresh", () => {
    const o = cleanObserved();
    o.archive.newestDeliveryByAccount[ORG.member][HOME] = collected(minutesAgo(61));
    o.archive.newestDeliveryByAccount[ORG.security][HOME] = collected(minutesAgo(60));
    const f = freshness.evaluate(o, cleanManifest(), CTX);
    const at = (a: string) => f.find((x) => x.account === a && x.region === HOME)!;
    expect(at(ORG.security).status).toBe("PASS");
    expect(at(ORG.member).message).toBe(
      `Account ${ORG.member}, ${HOME}: newest CloudTrail object under s3://${BUCKET}/${prefix(ORG.member)} is 1h 1m old, older than the 1h allowed; its logs are not arriving.`,
    );
  });
  it("ERROR for an ACTIVE account, or one governed region of it, that was never listed (not silently skipped)", () => {
    const o = cleanObserved();
    delete o.archive.newestDeliveryByAccount[ORG.member];
    delete o.archive.newestDeliveryByAccount[ORG.security][OTHER_REGION];
    const f = freshness.evaluate(o, cleanManifest(), CTX).filter((x) => x.status !== "PASS");
    expect(f.map((x) => [x.account, x.region, x.status, x.error?.name])).toEqual([
      [ORG.security, OTHER_REGION, "ERROR", "NotCollected"],
      [ORG.member, HOME, "ERROR", "NotCollected"],
      [ORG.member, OTHER_REGION, "ERROR", "NotCollected"],
    ]);
  });
  it("ERROR for the one account × region whose listing failed", () => {
    const o = cleanObserved();
    o.archive.newestDeliveryByAccount[ORG.member][OTHER_REGION] = failedRead(
      "ListObjectsV2",
      "s3",
      ORG.logArchive,
      HOME,
    );
    expect(freshness.evaluate(o, cleanManifest(), CTX).map((x) => x.status)).toEqual([
      ...Array(7).fill("PASS"),
      "ERROR",
    ]);
  });
  it("ERROR when the account list itself could not be read", () => {
    const o = cleanObserved();
    o.organization.accounts = failedRead("ListAccounts", "organizations", ORG.management, "global");
    expect(freshness.evaluate(o, cleanManifest(), CTX)).toEqual([
      expect.objectContaining({
        status: "ERROR",
        account: "-",
        error: expect.objectContaining({ operation: "ListAccounts" }),
      }),
    ]);
  });
  it("reports only the accounts and regions in the run's scope", () => {
    const o = cleanObserved();
    o.scope = { accounts: [ORG.member], regions: [OTHER_REGION] };
    expect(freshness.evaluate(o, cleanManifest(), CTX).map((x) => [x.account, x.region])).toEqual([
      [ORG.member, OTHER_REGION],
    ]);
  });
});

describe("archive checks: a failed read is ERROR, never PASS", () => {
  const cases = [
    [
      "archive-bucket-policy",
      policy,
      (o: ObservedState) => (o.archive.policy = failedRead("GetBucketPolicy", "s3", ORG.logArchive, HOME)),
    ],
    [
      "archive-object-lock",
      lock,
      (o: ObservedState) =>
        (o.archive.objectLock = failedRead("GetObjectLockConfiguration", "s3", ORG.logArchive, HOME)),
    ],
    [
      "archive-versioning",
      versioning,
      (o: ObservedState) => (o.archive.versioning = failedRead("GetBucketVersioning", "s3", ORG.logArchive, HOME)),
    ],
    [
      "archive-encryption",
      encryption,
      (o: ObservedState) => (o.archive.encryption = failedRead("GetBucketEncryption", "s3", ORG.logArchive, HOME)),
    ],
  ] as const;
  it.each(cases)("%s", (id, check, breakIt) => {
    const o = cleanObserved();
    breakIt(o);
    expect(check.evaluate(o, cleanManifest(), CTX)).toEqual([
      expect.objectContaining({
        checkId: id,
        status: "ERROR",
        account: ORG.logArchive,
        region: HOME,
        resourceArn: BUCKET_ARN,
        error: expect.objectContaining({ name: "AccessDeniedException" }),
      }),
    ]);
  });
  it.each([
    ...cases.map(([id, c]) => [id, c] as const),
    ["archive-public-access", publicAccess] as const,
    ["archive-delivery-freshness", freshness] as const,
  ])("%s: log-archive account unreachable", (_id, check) => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.logArchive] = readError("AssumeRole", "sts", ORG.logArchive, "global");
    const f = check.evaluate(o, cleanManifest(), CTX);
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((x) => x.status === "ERROR" && x.error?.operation === "AssumeRole")).toBe(true);
  });
});
