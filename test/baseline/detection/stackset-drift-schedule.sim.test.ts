/** IAM simulation of the drift-detection schedule's role: who may assume it, and the one call it may make. */
import { describe, expect, it } from "vitest";
import {
  DETECT_STACKSET_DRIFT_TARGET_ARN,
  stackSetDriftInput,
  stackSetDriftRolePolicy,
  stackSetDriftRoleTrust,
  stackSetDriftScheduleExpression,
} from "../../../baseline/detection";
import { ORG, roleCaller, serviceCaller, simulate } from "../../helpers/iam-sim";

const HOME = "us-east-1";
const ROLE_ARN = `arn:aws:iam::${ORG.management}:role/orgwarden-member-baseline-drift`;
const policy = stackSetDriftRolePolicy({
  namePrefix: "orgwarden",
  homeRegion: HOME,
  managementAccountId: ORG.management,
});
const stackSet = (name: string, region = HOME, account = ORG.management) =>
  `arn:aws:cloudformation:${region}:${account}:stackset/${name}:0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9`;
const asRole = (action: string, resource: string, resourceAccount = ORG.management) =>
  simulate({
    caller: roleCaller({
      accountId: ORG.management,
      roleName: "orgwarden-member-baseline-drift",
      identityPolicies: [policy],
    }),
    action,
    resource,
    resourceAccount,
  }).then((r) => r.result);

describe("the drift schedule's role trust", () => {
  const assume = (service: string, sourceAccount: string | undefined) =>
    simulate({
      caller: serviceCaller({ service, ...(sourceAccount ? { sourceAccount } : {}) }),
      action: "sts:AssumeRole",
      resource: ROLE_ARN,
      resourceAccount: ORG.management,
      resourcePolicy: stackSetDriftRoleTrust(ORG.management),
    }).then((r) => r.result);
  it("lets EventBridge Scheduler assume it for a schedule of the management account", async () => {
    expect(await assume("scheduler.amazonaws.com", ORG.management)).toBe("Allowed");
  });
  it.each([
    ["a schedule of another account (confused deputy)", "scheduler.amazonaws.com", ORG.member],
    ["Scheduler without a source account", "scheduler.amazonaws.com", undefined],
    ["EventBridge rules of the same account", "events.amazonaws.com", ORG.management],
    ["Lambda of the same account", "lambda.amazonaws.com", ORG.management],
  ])("refuses %s", async (_label, service, account) => {
    expect(await assume(service, account)).toBe("ImplicitlyDenied");
  });
  it("refuses every role, the management account's own included", async () => {
    const r = await simulate({
      caller: roleCaller({ accountId: ORG.management, roleName: "Admin", identityPolicies: [] }),
      action: "sts:AssumeRole",
      resource: ROLE_ARN,
      resourceAccount: ORG.management,
      resourcePolicy: stackSetDriftRoleTrust(ORG.management),
    });
    expect(r.result).toBe("ImplicitlyDenied");
  });
});

describe("the drift schedule's role permissions", () => {
  it("may start drift detection of the member-baseline StackSet in the home region", async () => {
    expect(await asRole("cloudformation:DetectStackSetDrift", stackSet("orgwarden-member-baseline"))).toBe("Allowed");
  });
  it.each([
    ["another StackSet", "cloudformation:DetectStackSetDrift", stackSet("payments-baseline")],
    [
      "a StackSet whose name only starts the same",
      "cloudformation:DetectStackSetDrift",
      stackSet("orgwarden-member-baseline-extra"),
    ],
    [
      "the StackSet's name in another region",
      "cloudformation:DetectStackSetDrift",
      stackSet("orgwarden-member-baseline", "eu-west-1"),
    ],
    ["any change to the StackSet", "cloudformation:UpdateStackSet", stackSet("orgwarden-member-baseline")],
    ["deleting its instances", "cloudformation:DeleteStackInstances", stackSet("orgwarden-member-baseline")],
    ["stopping an operation", "cloudformation:StopStackSetOperation", stackSet("orgwarden-member-baseline")],
    [
      "a direct stack's drift (not scheduled)",
      "cloudformation:DetectStackDrift",
      `arn:aws:cloudformation:${HOME}:${ORG.management}:stack/orgwarden-member-baseline/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9`,
    ],
  ])("may not touch %s", async (_label, action, resource) => {
    expect(await asRole(action, resource)).toBe("ImplicitlyDenied");
  });
});

describe("the schedule", () => {
  it("targets DetectStackSetDrift through Scheduler's universal target, as the management account", () => {
    expect(DETECT_STACKSET_DRIFT_TARGET_ARN).toBe("arn:aws:scheduler:::aws-sdk:cloudformation:detectStackSetDrift");
    expect(stackSetDriftInput("orgwarden")).toEqual({ StackSetName: "orgwarden-member-baseline", CallAs: "SELF" });
  });
  it.each([
    [48, "rate(24 hours)"],
    [25, "rate(12 hours)"],
    [3, "rate(1 hour)"],
    [2, "rate(1 hour)"],
    [1, "rate(1 hour)"],
    [720, "rate(360 hours)"],
  ])("runs every half of audit.stackSetDriftMaxAgeHours = %i: %s", (hours, expression) => {
    expect(stackSetDriftScheduleExpression(hours)).toBe(expression);
  });
  it("refuses a maximum age that is not a whole number of hours >= 1", () => {
    expect(() => stackSetDriftScheduleExpression(0)).toThrow("maxAgeHours must be a whole number >= 1 (got 0)");
    expect(() => stackSetDriftScheduleExpression(1.5)).toThrow("(got 1.5)");
  });
});
