/** The remediation role's permissions, proven with the IAM simulator: it creates (and tags at creation) flow logs, nothing else. */
import { describe, expect, it } from "vitest";
import { flowLogRemediationPolicy } from "../../../baseline/network";
import { ORG, roleCaller, simulate } from "../../helpers/iam-sim";

const role = roleCaller({
  accountId: ORG.member,
  roleName: "orgwarden-flow-log-remediation",
  identityPolicies: [flowLogRemediationPolicy()],
});
const ec2 = (type: string, id: string) => `arn:aws:ec2:${ORG.region}:${ORG.member}:${type}/${id}`;
const run = (action: string, resource: string, context?: Record<string, string>) =>
  simulate({ caller: role, action, resource, resourceAccount: ORG.member, context });

describe("flow-log remediation role", () => {
  it("may create a flow log on a VPC of its account, and the flow log itself", async () => {
    expect((await run("ec2:CreateFlowLogs", ec2("vpc", "vpc-0a1b2c3d"))).result).toBe("Allowed");
    expect((await run("ec2:CreateFlowLogs", ec2("vpc-flow-log", "fl-0a1b2c3d"))).result).toBe("Allowed");
  });

  it("may tag a flow log only as part of CreateFlowLogs", async () => {
    const fl = ec2("vpc-flow-log", "fl-0a1b2c3d");
    expect((await run("ec2:CreateTags", fl, { "ec2:CreateAction": "CreateFlowLogs" })).result).toBe("Allowed");
    expect((await run("ec2:CreateTags", fl)).result).toBe("ImplicitlyDenied");
    expect(
      (await run("ec2:CreateTags", ec2("instance", "i-0a1b2c3d"), { "ec2:CreateAction": "CreateFlowLogs" })).result,
    ).toBe("ImplicitlyDenied");
  });

  it.each([
    ["ec2:DeleteFlowLogs", ec2("vpc-flow-log", "fl-0a1b2c3d")],
    ["ec2:DeleteVpc", ec2("vpc", "vpc-0a1b2c3d")],
    ["ec2:CreateFlowLogs", ec2("subnet", "subnet-0a1b2c3d")],
    ["s3:PutObject", "arn:aws:s3:::orgwarden-prod-flow-logs-111111111111/AWSLogs/x"],
    ["iam:PassRole", `arn:aws:iam::${ORG.member}:role/anything`],
  ])("may not %s", async (action, resource) => {
    expect((await run(action, resource)).result).toBe("ImplicitlyDenied");
  });
});
