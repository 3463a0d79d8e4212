import { describe, expect, it } from "vitest";
import { DeleteRolePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { CHECKS } from "../../../agent/checks/registry";
import { createUnenrolledAccount } from "../../../agent/sandbox/drifts";
import { SANDBOX } from "../../../agent/sandbox/layout";
import { useMoto } from "../../helpers/moto";
import { createUserWithPolicy, withIamEnforcement } from "../aws/_moto-auth";
import { audit, brief, seed, withStatus } from "./_harness";

const moto = useMoto();

describe("scenarios over moto (SSM associations and GetTrailStatus CloudWatch/digest fields recorded)", () => {
  it("1. a clean organization gives all PASS and exit 0", async () => {
    const sb = await seed(moto.endpoint);
    const r = await audit(sb);
    expect(brief(r.findings.filter((f) => f.status !== "PASS" && f.status !== "NOT_APPLICABLE"))).toEqual([]);
    // The NOT_APPLICABLEs: the management account is never placed in an OU; the sandbox manifest names no log auditor
    // role, so the digest chain is not validated here (test/agent/integrity/nightly-moto.test.ts validates it over moto).
    expect(withStatus(r, "NOT_APPLICABLE").map((f) => [f.checkId, f.account])).toEqual([
      ["accounts-enrolled", sb.accounts.management],
      ["trail-log-integrity", "-"],
      // SCPs never bind the management account.
      ["scp-effective-path", sb.accounts.management],
      // The sandbox's manifest has no roles.perAccount (moto cannot attach SecurityAudit, agent/sandbox/README.md):
      // the member roles are judged in test/agent/scenarios/keys-and-roles.test.ts.
      ["iam-role-trust", "-"],
      ["iam-role-permissions", "-"],
    ]);
    const passed = new Set(withStatus(r, "PASS").map((f) => f.checkId));
    expect(CHECKS.map((c) => c.metadata.id).filter((id) => !passed.has(id))).toEqual(["trail-log-integrity"]);
    expect(r.scope.accounts.sort()).toEqual(
      [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security, ...sb.accounts.members].sort(),
    );
    expect(r.scope.regions).toEqual(["us-east-1", "eu-west-1"]);
    expect(r.organizationId).toBe(sb.orgId);
    expect(r.exitCode).toBe(0);
  });

  it("4. the logging SCP detached from the root is a FAIL", async () => {
    const sb = await seed(moto.endpoint, [{ kind: "scp-detached" }]);
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL");
    // Detached from the root, the SCP is on no account's path: every account but the management account loses it.
    expect(fails.map((f) => [f.checkId, f.account])).toEqual([
      ["scp-logging-present", sb.accounts.management],
      ...[sb.accounts.logArchive, sb.accounts.security, ...sb.accounts.members]
        .sort()
        .map((a) => ["scp-effective-path", a]),
    ]);
    expect(fails[0].message).toContain(sb.rootId);
    expect(r.exitCode).toBe(1);
  });

  it("5. a stopped trail is a FAIL, and so are one that no longer records KMS events and a log group without its key", async () => {
    const sb = await seed(moto.endpoint, [
      { kind: "trail-stopped" },
      { kind: "trail-kms-events-excluded" },
      { kind: "trail-log-group-unencrypted" },
    ]);
    const r = await audit(sb);
    const logging = r.findings.filter((f) => f.checkId === "trail-logging");
    expect(logging.map((f) => f.status)).toEqual(["FAIL"]);
    expect(logging[0].resourceArn).toBe(sb.manifest.trail.arn);
    const selectors = r.findings.filter((f) => f.checkId === "trail-event-selectors");
    expect(selectors.map((f) => [f.status, f.message])).toEqual([
      [
        "FAIL",
        "The trail's advanced event selectors are narrower than intended — not recorded: management events with eventSource = kms.amazonaws.com. Restore the intended selectors.",
      ],
    ]);
    const group = r.findings.filter((f) => f.checkId === "trail-log-group");
    expect(group.map((f) => [f.status, f.message])).toEqual([
      [
        "FAIL",
        `It is not encrypted with a customer managed KMS key; associate the log group key ${sb.manifest.trail.logGroupKeyArn}.`,
      ],
    ]);
    expect(sb.manifest.trail.logGroupKeyArn).toMatch(/^arn:aws:kms:/);
    expect(withStatus(r, "ERROR")).toEqual([]);
    expect(r.exitCode).toBe(1);
  });

  it("6. a new account outside the governed OUs is a FAIL", async () => {
    const sb = await seed(moto.endpoint);
    const outsider = await createUnenrolledAccount(sb);
    const r = await audit(sb);
    const enrolled = r.findings.filter((f) => f.checkId === "accounts-enrolled" && f.status === "FAIL");
    expect(enrolled.map((f) => f.account)).toEqual([outsider]);
    expect(enrolled[0].message).toContain(outsider);
    // Everything else that fails is about the new account too (it has no detectors or logs yet): no other account is blamed.
    expect(withStatus(r, "FAIL").filter((f) => f.account !== outsider)).toEqual([]);
    expect(r.exitCode).toBe(1);
  });

  it("8. stale delivery (clock moved with --now) is a FAIL with the age", async () => {
    const sb = await seed(moto.endpoint);
    const now = new Date(Date.now() + 3 * 3_600_000);
    const r = await audit(sb, { now });
    const s3 = r.findings.filter((f) => f.checkId === "trail-s3-delivery");
    expect(s3.map((f) => f.status)).toEqual(["FAIL"]);
    expect(s3[0].message).toMatch(/last S3 delivery (2h 59m|3h) ago, older than the 1h allowed/);
    expect(s3[0].observed).toMatchObject({ now: now.toISOString(), age: expect.stringMatching(/^(2h 59m|3h)$/) });
    expect(r.now).toBe(now.toISOString());
    expect(r.exitCode).toBe(1);
  });

  it("10. AccessDenied in one account (moto IAM enforcement): ERROR findings for that account only, the others complete, exit 3", async () => {
    const sb = await seed(moto.endpoint);
    const denied = sb.accounts.members[1];
    // The audit starts from an IAM user of the management account; the denied account's read role loses its permissions.
    const keys = await createUserWithPolicy(
      await sb.session.client(IAMClient, sb.accounts.management, sb.region),
      "orgwarden-auditor",
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
      },
    );
    const iam = await sb.session.client(IAMClient, denied, sb.region);
    // Both inline policies (SecurityAudit's moto stand-in and audit-extra-read, agent/sandbox/seed-org.ts seedRoles).
    for (const PolicyName of [`${SANDBOX.readRoleName}-policy`, "audit-extra-read"])
      await iam.send(new DeleteRolePolicyCommand({ RoleName: SANDBOX.readRoleName, PolicyName }));

    const r = await withIamEnforcement(moto.endpoint, () =>
      audit(sb, { credentials: keys, gaps: { deniedAccounts: [denied] } }),
    );

    const errors = withStatus(r, "ERROR");
    expect(errors.length).toBeGreaterThan(0);
    expect(brief(errors.filter((f) => f.account !== denied))).toEqual([]);
    // moto's own refusals (AccessDenied) for every service it implements; the recorded AWS answer for SSM associations.
    const named = [...new Set(errors.map((f) => `${f.checkId}:${f.error?.operation}:${f.error?.name}`))].sort();
    expect(named).toEqual([
      "config-delivery-channel:DescribeDeliveryChannels:AccessDenied",
      "config-recorder:DescribeConfigurationRecorders:AccessDenied",
      // The account's VPCs are listed first: both per-VPC checks stop there.
      "dns-query-log-associations:DescribeVpcs:AccessDenied",
      "event-forwarding-rules:DescribeRule:AccessDenied",
      "guardduty-enabled:ListDetectors:AccessDenied",
      "guardduty-features:ListDetectors:AccessDenied",
      "inspector-enabled:BatchGetAccountStatus:AccessDenied",
      "securityhub-enabled:DescribeHub:AccessDenied",
      "ssm-agent-associations:ListAssociations:AccessDeniedException",
      "vpc-flow-logs:DescribeVpcs:AccessDenied",
    ]);
    // Nine per-account checks × 2 regions, and one ERROR per forwarding rule (3) × 2 regions.
    expect(errors).toHaveLength(9 * 2 + 3 * 2);
    expect(brief(withStatus(r, "FAIL"))).toEqual([]);
    const otherAccounts = r.scope.accounts.filter((a) => a !== denied);
    expect(otherAccounts).toHaveLength(4);
    for (const account of otherAccounts)
      expect(r.findings.some((f) => f.account === account && f.status === "PASS")).toBe(true);
    expect(r.exitCode).toBe(3);
  });

  it("10b. AssumeRole refused into one account (moto IAM enforcement): that account's findings are ERROR naming AssumeRole, the others complete, exit 3", async () => {
    const sb = await seed(moto.endpoint);
    const refused = sb.accounts.members[0];
    const keys = await createUserWithPolicy(
      await sb.session.client(IAMClient, sb.accounts.management, sb.region),
      "orgwarden-auditor",
      {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "*", Resource: "*" },
          {
            Effect: "Deny",
            Action: "sts:AssumeRole",
            Resource: `arn:aws:iam::${refused}:role/${SANDBOX.readRoleName}`,
          },
        ],
      },
    );

    const r = await withIamEnforcement(moto.endpoint, () => audit(sb, { credentials: keys }));

    const errors = withStatus(r, "ERROR");
    expect(brief(errors.filter((f) => f.account !== refused))).toEqual([]);
    expect([...new Set(errors.map((f) => `${f.error?.operation}:${f.error?.name}`))]).toEqual([
      "AssumeRole:AccessDenied",
    ]);
    // Every per-account × region check reports the account, one ERROR per check × region (2 governed regions).
    const perCell = [
      "config-recorder",
      "guardduty-enabled",
      "securityhub-enabled",
      "inspector-enabled",
      "ssm-agent-associations",
      "vpc-flow-logs",
      "dns-query-log-associations",
    ];
    for (const id of perCell)
      expect(
        errors
          .filter((f) => f.checkId === id)
          .map((f) => f.region)
          .sort(),
      ).toEqual(["eu-west-1", "us-east-1"]);
    expect(brief(withStatus(r, "FAIL"))).toEqual([]);
    expect(r.exitCode).toBe(3);
  });
});
