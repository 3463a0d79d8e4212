/**
 * The log auditor role as each example stack plans it (exact inputs under the Pulumi mocks): in the
 * security account, trusted by the agent role alone, holding exactly the baseline's log auditor
 * policy; and a renamed role (audit.logAuditorRoleName) reaches every document that names it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import type { PolicyDocument, Statement } from "../../baseline";
import { EXPECTED } from "./expected";
import { doc, one, providerUrn, runStack, STACKS, urnOf } from "./stack";

const COMPONENT = "orgwarden:audit:LogAuditorRole";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/rolePolicy:RolePolicy";

const statement = (d: unknown, sid: string): Statement | undefined =>
  (d as PolicyDocument).Statement.find((s) => s.Sid === sid);

describe.each(STACKS)("LogAuditorRole (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  let keyArn: string;
  beforeAll(async () => {
    run = await runStack(stack);
    keyArn = one(run, "aws:kms/key:Key", "log-key-key").outputs.arn as string;
  });

  const res = (type: string, name: string) => {
    const r = one(run, type, name);
    expect(r.provider, `${name} provider`).toBe(providerUrn(run, "security"));
    expect(r.parent, `${name} parent`).toBe(urnOf(run, COMPONENT, "log-auditor"));
    return r;
  };

  it("creates the role in the security account, trusted by the audit agent's role alone, inside the organization", () => {
    const { assumeRolePolicy, ...rest } = res(ROLE, "log-auditor-role").inputs;
    expect(rest).toEqual({
      name: "orgwarden-log-auditor",
      description: "orgwarden: validates the CloudTrail digest chain (assumed by the audit agent only)",
    });
    expect(doc(assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AuditAgentOnly",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${x.securityId}:root` },
          Action: "sts:AssumeRole",
          Condition: {
            ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${x.securityId}:role/orgwarden-audit-agent` },
            StringEquals: { "aws:PrincipalOrgID": x.orgId },
          },
        },
      ],
    });
  });

  it("gives it exactly: list and read AWSLogs/<org>/ of the archive, decrypt through S3 for this trail, list CloudTrail's public keys", () => {
    const p = res(POLICY, "log-auditor-policy");
    expect(p.inputs.role).toBe("orgwarden-log-auditor");
    expect(p.inputs.name).toBe("orgwarden-log-auditor");
    expect(doc(p.inputs.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ListTheTrailsObjects",
          Effect: "Allow",
          Action: ["s3:ListBucket", "s3:GetBucketLocation"],
          Resource: `arn:aws:s3:::${x.archive}`,
        },
        {
          Sid: "ReadDigestsAndLogFiles",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:GetObjectVersion"],
          Resource: `arn:aws:s3:::${x.archive}/AWSLogs/${x.orgId}/*`,
        },
        {
          Sid: "DecryptLogFilesThroughS3",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: keyArn,
          Condition: {
            StringEquals: {
              "kms:ViaService": `s3.${x.home}.amazonaws.com`,
              "kms:EncryptionContext:aws:cloudtrail:arn": x.trailArn,
            },
          },
        },
        {
          Sid: "ListCloudTrailPublicKeys",
          Effect: "Allow",
          Action: "cloudtrail:ListPublicKeys",
          Resource: "*",
        },
      ],
    });
    expect(keyArn).toMatch(new RegExp(`^arn:aws:kms:${x.home}:${x.securityId}:key/`));
  });

  it("is not protected: it holds no data, and a replacement only renews its ARN, which the manifest publishes", () => {
    expect(res(ROLE, "log-auditor-role").protect).toBeFalsy();
  });
});

describe("audit.logAuditorRoleName: a renamed log auditor role reaches every document that names it", () => {
  const NAME = "orgwarden-digest-validator";
  const x = EXPECTED.dev;
  const arn = `arn:aws:iam::${x.securityId}:role/${NAME}`;
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack("dev", { "audit.logAuditorRoleName": NAME });
  });

  it("the role carries the name, and the manifest its ARN", () => {
    expect(one(run, ROLE, "log-auditor-role").inputs.name).toBe(NAME);
    expect((run.outputs.auditManifest as { audit: { logAuditorRoleArn: string } }).audit.logAuditorRoleArn).toBe(arn);
  });

  it("the key policy's AuditorDecrypt adds it by exact ARN next to the configured auditorRoleNames", () => {
    const key = doc(one(run, "aws:kms/key:Key", "log-key-key").inputs.policy);
    expect(statement(key, "AuditorDecrypt")?.Condition).toEqual({
      ArnLike: { "aws:PrincipalArn": [`arn:aws:iam::${x.securityId}:role/orgwarden-log-auditor`, arn] },
      Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" },
    });
  });

  it("the archive bucket policy lets it read, and exempts it from DenyReadExceptAuditors", () => {
    const bucket = doc(one(run, "aws:s3/bucketPolicy:BucketPolicy", "archive-policy").inputs.policy);
    const auditors = [`arn:aws:iam::${x.securityId}:role/orgwarden-log-auditor`, arn];
    expect(statement(bucket, "AuditorRead")?.Condition).toEqual({ ArnLike: { "aws:PrincipalArn": auditors } });
    // The stack has athena.enabled: the log analyst role is the one other reader the deny exempts (infra/athena).
    expect(statement(bucket, "DenyReadExceptAuditors")?.Condition).toEqual({
      ArnNotLike: { "aws:PrincipalArn": [...auditors, `arn:aws:iam::${x.securityId}:role/orgwarden-log-analyst`] },
    });
  });

  it("the agent role may assume exactly it", () => {
    const agent = doc(one(run, POLICY, "audit-agent-policy").inputs.policy);
    expect(statement(agent, "AssumeTheLogAuditorRole")).toEqual({
      Sid: "AssumeTheLogAuditorRole",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: arn,
    });
  });
});
