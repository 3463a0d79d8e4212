import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { loggingProtectionScp, minify, SCP_MAX_CHARS } from "../../baseline";
import { EXEMPT, EXPECTED, LOG_GROUP } from "./expected";
import { one, previewFailing, providerUrn, runStack, STACKS } from "./stack";

const POLICY = "aws:organizations/policy:Policy";
const ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment";

describe.each(STACKS)("LoggingScp (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("creates the SCP from the baseline document naming the archive, access-log and Config buckets, the trail's log group and the exemptions", () => {
    const p = one(run, POLICY, "logging-scp-policy");
    const content = minify(loggingProtectionScp({ exemptPrincipalArns: EXEMPT, protectedBucketNames: [x.archive, x.accessLogs, x.configBucket], trailLogGroupName: LOG_GROUP }));
    expect(p.inputs).toEqual({
      name: "orgwarden-protect-security-logging",
      description: "orgwarden: nobody but the exempt principals may switch off, redirect or delete security logging",
      type: "SERVICE_CONTROL_POLICY",
      content,
    });
    expect(content.length).toBe(stack === "dev" ? 4428 : 4431);
    expect(content.length).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(JSON.parse(content).Statement.find((s: { Sid: string }) => s.Sid === "DenyLogBucketTampering").Resource).toEqual([
      `arn:aws:s3:::${x.archive}`,
      `arn:aws:s3:::${x.accessLogs}`,
      `arn:aws:s3:::${x.configBucket}`,
    ]);
    expect(p.provider).toBe(providerUrn(run, "management"));
    expect(p.dependencies).toContain(one(run, "aws:organizations/organization:Organization", "org-organization").urn);
  });

  it("attaches it to the organization root", () => {
    const a = one(run, ATTACHMENT, "logging-scp-attachment");
    const policyId = one(run, POLICY, "logging-scp-policy").id;
    expect(policyId).toMatch(/^p-[0-9a-z]{8}$/);
    expect(a.inputs).toEqual({ policyId, targetId: x.rootId });
    expect(a.provider).toBe(providerUrn(run, "management"));
    expect(run.outputs.scpId).toBe(policyId);
  });
});

describe("LoggingScp size check", () => {
  it("fails the preview with the ScpTooLargeError message (exit 2) when the exemptions push the SCP past 5,120 characters", () => {
    const exempt = [...EXEMPT, ...Array.from({ length: 3 }, (_, i) => `arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_BreakGlassTeam${i}_*`)];
    const size = minify(loggingProtectionScp({ exemptPrincipalArns: exempt, protectedBucketNames: ["orgwarden-overflow-cloudtrail-111122223333", "orgwarden-overflow-access-logs-111122223333", "orgwarden-overflow-config-111122223333"], trailLogGroupName: LOG_GROUP })).length;
    expect(size).toBeGreaterThan(SCP_MAX_CHARS);
    const r = previewFailing("overflow", { "scp.exemptPrincipalArns": exempt });
    expect(r.stderr).toBe(
      `SCP "orgwarden-protect-security-logging" is ${size} characters minified; AWS Organizations allows at most 5120. ` +
        "Shorten orgwarden:scp.exemptPrincipalArns (use wildcards such as arn:aws:iam::*:role/break-glass-*) or protect fewer buckets.\n",
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("accepts one more exemption written as a wildcard, and the SCP stays within the limit", async () => {
    const run = await runStack("dev", { "scp.exemptPrincipalArns": JSON.stringify([...EXEMPT, "arn:aws:iam::*:role/secadmin-*"]) });
    const content = one(run, POLICY, "logging-scp-policy").inputs.content as string;
    expect(content.length).toBe(minify(loggingProtectionScp({ exemptPrincipalArns: [...EXEMPT, "arn:aws:iam::*:role/secadmin-*"], protectedBucketNames: [EXPECTED.dev.archive, EXPECTED.dev.accessLogs, EXPECTED.dev.configBucket], trailLogGroupName: LOG_GROUP })).length);
    expect(content.length).toBeLessThanOrEqual(SCP_MAX_CHARS);
  });
});
