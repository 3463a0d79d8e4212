import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../harness/run-program";
import { minify, SCP_MAX_CHARS } from "../../baseline";
import { EXEMPT, EXPECTED, expectedScps, scpsFor } from "./expected";
import { one, previewFailing, providerUrn, runStack, STACKS } from "./stack";

const POLICY = "aws:organizations/policy:Policy";
const ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment";
const DESCRIPTIONS = [
  "orgwarden: nobody but the exempt principals may switch off, redirect or delete security logging",
  "orgwarden: nobody but the exempt principals may disable or blind GuardDuty, Security Hub, Inspector or the audit manifest",
  "orgwarden: nobody but the exempt principals may change the exempt and baseline roles or the baseline stacks",
];
/** Minified sizes of the three SCPs, logging / detection / identity. */
const SIZES = { dev: [2419, 2543, 1921], prod: [2424, 2545, 1921] };

describe.each(STACKS)("LoggingScp (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("plans exactly the three security-baseline SCPs", () => {
    expect(run.resources.filter((r) => r.type === POLICY).map((r) => r.name)).toEqual([
      "logging-scp-policy",
      "logging-scp-detection-policy",
      "logging-scp-identity-policy",
    ]);
  });

  it.each([0, 1, 2])("creates SCP %i from the baseline document built from the stack's real names", (n) => {
    const want = expectedScps(stack)[n];
    const p = one(run, POLICY, want.resource);
    expect(p.inputs).toEqual({
      name: want.name,
      description: DESCRIPTIONS[n],
      type: "SERVICE_CONTROL_POLICY",
      content: minify(want.document),
    });
    expect(p.provider).toBe(providerUrn(run, "management"));
    expect(p.dependencies).toContain(one(run, "aws:organizations/organization:Organization", "org-organization").urn);
  });

  it("each SCP's size, and each within 5,120 characters", () => {
    const sizes = expectedScps(stack).map((s) => (one(run, POLICY, s.resource).inputs.content as string).length);
    expect(sizes).toEqual(SIZES[stack]);
    expect(sizes.every((n) => n <= SCP_MAX_CHARS)).toBe(true);
  });

  it("the first SCP names the archive, access-log and Config buckets, and the objects of the two unlocked ones", () => {
    const content = JSON.parse(one(run, POLICY, "logging-scp-policy").inputs.content as string);
    expect(content.Statement.find((s: { Sid: string }) => s.Sid === "DenyLogBucketTampering").Resource).toEqual([
      `arn:aws:s3:::${x.archive}`,
      `arn:aws:s3:::${x.accessLogs}`,
      `arn:aws:s3:::${x.configBucket}`,
      `arn:aws:s3:::${x.accessLogs}/*`,
      `arn:aws:s3:::${x.configBucket}/*`,
    ]);
  });

  it.each([
    ["logging-scp-attachment", "logging-scp-policy"],
    ["logging-scp-detection-attachment", "logging-scp-detection-policy"],
    ["logging-scp-identity-attachment", "logging-scp-identity-policy"],
  ])("attaches %s to the organization root", (attachment, policy) => {
    const a = one(run, ATTACHMENT, attachment);
    const policyId = one(run, POLICY, policy).id;
    expect(policyId).toMatch(/^p-[0-9a-z]{8}$/);
    expect(a.inputs).toEqual({ policyId, targetId: x.rootId });
    expect(a.provider).toBe(providerUrn(run, "management"));
  });

  it("the scpId output is still the first SCP's id", () => {
    expect(run.outputs.scpId).toBe(one(run, POLICY, "logging-scp-policy").id);
  });
});

describe("LoggingScp size check", () => {
  it("fails the preview with the ScpTooLargeError message (exit 2) naming the first SCP that overflows", async () => {
    const exempt = [
      ...EXEMPT,
      ...Array.from(
        { length: 12 },
        (_, i) => `arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_BreakGlassTeam${i}_*`,
      ),
    ];
    const scps = scpsFor("overflow", EXPECTED.dev.mgmt, exempt);
    const over = scps.findIndex((s) => minify(s.document).length > SCP_MAX_CHARS);
    expect(over).toBeGreaterThanOrEqual(0);
    const r = await previewFailing("overflow", { "scp.exemptPrincipalArns": exempt });
    expect(r.stderr).toBe(
      `SCP "${scps[over].name}" is ${minify(scps[over].document).length} characters minified; AWS Organizations allows at most 5120. ` +
        "Shorten orgwarden:scp.exemptPrincipalArns (use wildcards such as arn:aws:iam::*:role/break-glass-*) or protect fewer buckets.\n",
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("accepts ten exemption patterns of SSO length: every SCP stays within the limit", async () => {
    const exempt = [
      ...EXEMPT,
      ...Array.from(
        { length: 7 },
        (_, i) => `arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecAdmin${i}_*`,
      ),
    ];
    // With Athena on, as the example stack has it: the audit manifest, which carries every SCP, fits its parameters too.
    const run = await runStack("dev", { "scp.exemptPrincipalArns": JSON.stringify(exempt) });
    expect((run.outputs.auditManifest as { athena?: unknown }).athena).toBeDefined();
    const sizes = expectedScps("dev", exempt).map(
      (s) => (one(run, POLICY, s.resource).inputs.content as string).length,
    );
    expect(sizes).toEqual(expectedScps("dev", exempt).map((s) => minify(s.document).length));
    expect(sizes.every((n) => n <= SCP_MAX_CHARS)).toBe(true);
  });

  it("fails the preview (exit 2) when no exemption covers the StackSets execution role", async () => {
    const r = await previewFailing("nostackset", {
      "scp.exemptPrincipalArns": ["arn:aws:iam::*:role/OrganizationAccountAccessRole"],
    });
    expect(r.stderr).toBe(
      "invalid stack configuration (1 problem):\n" +
        "  - orgwarden:scp.exemptPrincipalArns must exempt the StackSets execution role (add arn:aws:iam::*:role/stacksets-exec-*), " +
        "or the member baseline StackSet can no longer lay or update Config, roles and rules in member accounts\n",
    );
    expect(r.status).toBe(2);
  });
});
