/**
 * The flow-log bucket checks over state collected from moto (the real collector, the agent's own
 * clients, the log-archive account entered by AssumeRole): one compliant bucket that passes, and
 * the same bucket with its policy, encryption and public access block drifted.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { AuditManifest, PolicyDocument } from "../../../baseline";
import { flowLogBucketPolicy } from "../../../baseline/network";
import { collectFlowLogBucket } from "../../../agent/collectors/flow-logs";
import { CHECKS } from "../../../agent/checks/registry";
import * as policyCheck from "../../../agent/checks/archive/flow-log-bucket-policy";
import * as encryptionCheck from "../../../agent/checks/archive/flow-log-bucket-encryption";
import * as tlsCheck from "../../../agent/checks/archive/flow-log-bucket-tls";
import type { ObservedState } from "../../../agent/model";
import { useMoto } from "../../helpers/moto";
import { agentClients } from "../collectors/_clients";
import { cleanManifest, cleanObserved, CTX, HOME, ORG } from "./fixtures";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const BUCKET = "orgwarden-prod-flow-logs-111111111111";
const FLOW_KEY = `arn:aws:kms:${HOME}:${ORG.logArchive}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const POLICY = flowLogBucketPolicy({
  bucketName: BUCKET,
  orgId: ORG.id,
  securityAccountId: ORG.security,
  readerRoleNames: ["orgwarden-log-auditor"],
});
const ARN = `arn:aws:s3:::${BUCKET}`;

function manifest(): AuditManifest {
  return { ...cleanManifest(), flowLogs: { bucketName: BUCKET, keyArn: FLOW_KEY, expectedBucketPolicy: POLICY } };
}

interface Setup {
  policy?: PolicyDocument;
  algorithm?: "aws:kms" | "AES256";
  keyId?: string;
  restrictPublicBuckets?: boolean;
}

/** Lays the bucket in moto's log-archive account as `s` says, then collects it with the agent's collector. */
async function observe(s: Setup): Promise<ObservedState> {
  env = agentClients(moto.endpoint);
  const s3 = await env.get(S3Client, ORG.logArchive);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  if (s.policy) await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(s.policy) }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: BUCKET,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault:
              s.algorithm === "AES256"
                ? { SSEAlgorithm: "AES256" }
                : { SSEAlgorithm: "aws:kms", KMSMasterKeyID: s.keyId ?? FLOW_KEY },
            BucketKeyEnabled: false,
          },
        ],
      },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: BUCKET,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: s.restrictPublicBuckets ?? true,
      },
    }),
  );
  const flowLogBucket = await collectFlowLogBucket(s3, ORG.logArchive, HOME, BUCKET);
  return { ...cleanObserved(), flowLogBucket };
}

const summary = (findings: ReturnType<typeof policyCheck.evaluate>) =>
  findings.map((f) => [f.checkId, f.status, f.account, f.region, f.resourceArn, f.key ?? null]);

describe("flow-log bucket checks on moto", () => {
  it("are registered", () => {
    expect(CHECKS).toContain(policyCheck);
    expect(CHECKS).toContain(encryptionCheck);
    expect(CHECKS).toContain(tlsCheck);
  });

  it("PASS on the bucket as the baseline lays it: the intended policy, SSE-KMS with its key, all four PAB settings", async () => {
    const o = await observe({ policy: POLICY });
    expect(o.flowLogBucket!.policy).toEqual({ ok: true, value: POLICY });
    const findings = [
      ...policyCheck.evaluate(o, manifest(), CTX),
      ...encryptionCheck.evaluate(o, manifest(), CTX),
      ...tlsCheck.evaluate(o, manifest(), CTX),
    ];
    expect(summary(findings)).toEqual([
      ["flow-log-bucket-policy", "PASS", ORG.logArchive, HOME, ARN, null],
      ["flow-log-bucket-encryption", "PASS", ORG.logArchive, HOME, ARN, null],
      ["flow-log-bucket-tls", "PASS", ORG.logArchive, HOME, ARN, null],
    ]);
    expect(findings[1].message).toBe(
      `${BUCKET} encrypts by default with aws:kms under its intended key, and all four public access block settings are on.`,
    );
  });

  it("FAIL when the policy lost its TLS and delete denials: drift names them, and the TLS check fails", async () => {
    const drifted = {
      ...POLICY,
      Statement: POLICY.Statement.filter((s) => s.Sid !== "DenyInsecureTransport" && s.Sid !== "DenyObjectDeletion"),
    };
    const o = await observe({ policy: drifted });
    const findings = policyCheck.evaluate(o, manifest(), CTX);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.status === "FAIL")).toBe(true);
    expect(findings.map((f) => f.message).join("\n")).toMatch(/DenyObjectDeletion/);
    const [tls] = tlsCheck.evaluate(o, manifest(), CTX);
    expect([tls.status, tls.message]).toEqual([
      "FAIL",
      `The bucket policy of ${BUCKET} no longer denies requests that do not use TLS; restore its DenyInsecureTransport statement.`,
    ]);
  });

  it("FAIL when the bucket has no policy at all", async () => {
    const [f] = policyCheck.evaluate(await observe({}), manifest(), CTX);
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `The flow-log bucket ${BUCKET} has no bucket policy: flow-log delivery is refused, and nothing denies plain HTTP or deletes. Apply the intended policy.`,
    ]);
  });

  it("FAIL on SSE-S3 and a public access block setting off, in one finding naming both", async () => {
    const [f] = encryptionCheck.evaluate(
      await observe({ policy: POLICY, algorithm: "AES256", restrictPublicBuckets: false }),
      manifest(),
      CTX,
    );
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `Default encryption of ${BUCKET} is AES256, intended aws:kms with ${FLOW_KEY}; the public access block of ${BUCKET} has restrictPublicBuckets off; turn it on.`,
    ]);
  });

  it("FAIL when the bucket encrypts with another key (the log key, say)", async () => {
    const other = `arn:aws:kms:${HOME}:${ORG.security}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const [f] = encryptionCheck.evaluate(await observe({ policy: POLICY, keyId: other }), manifest(), CTX);
    expect(f.status).toBe("FAIL");
    expect(f.message).toBe(
      `Default encryption of ${BUCKET} is aws:kms but the key is ${other}, not the intended ${FLOW_KEY}.`,
    );
  });
});

describe("flow-log bucket checks without an observation", () => {
  it("NOT_APPLICABLE, saying why, when the manifest names no flow-log bucket", () => {
    for (const check of [policyCheck, encryptionCheck, tlsCheck]) {
      const { flowLogs: _none, ...disabled } = cleanManifest();
      const [f] = check.evaluate(cleanObserved(), disabled, CTX);
      expect([f.status, f.message]).toEqual([
        "NOT_APPLICABLE",
        `${check.metadata.title}: not applicable, the audit manifest names no flow-log bucket (the stack sets network.flowLogs.enabled to false).`,
      ]);
    }
  });

  it("ERROR, never PASS, when the manifest names the bucket but the state holds no reading of it", () => {
    for (const check of [policyCheck, encryptionCheck, tlsCheck]) {
      const { flowLogBucket: _none, ...unread } = cleanObserved();
      const [f] = check.evaluate(unread, manifest(), CTX);
      expect([f.status, f.resourceArn]).toEqual(["ERROR", ARN]);
    }
  });

  it("ERROR when the log-archive account could not be entered", () => {
    const err = {
      name: "AccessDenied",
      operation: "AssumeRole",
      message: "denied",
      kind: "access-denied" as const,
      account: ORG.logArchive,
      region: HOME,
      service: "sts",
    };
    const o: ObservedState = {
      ...cleanObserved(),
      unreachableAccounts: { [ORG.logArchive]: err },
      flowLogBucket: {
        bucketName: BUCKET,
        policy: { ok: false, error: err },
        encryption: { ok: false, error: err },
        publicAccessBlock: { ok: false, error: err },
      },
    };
    for (const check of [policyCheck, encryptionCheck, tlsCheck])
      expect(check.evaluate(o, manifest(), CTX)[0].status).toBe("ERROR");
  });
});
