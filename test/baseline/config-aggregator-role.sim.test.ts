/** IAM simulation of the Config aggregator role's trust (baseline/pipeline.ts): AWS Config, and nobody else, may assume it. */
import { describe, expect, it } from "vitest";
import { configAggregatorRoleTrust } from "../../baseline/pipeline";
import { allowAll, ORG, roleCaller, serviceCaller, simulate } from "../helpers/iam-sim";

const ROLE_ARN = `arn:aws:iam::${ORG.security}:role/orgwarden-config-aggregator`;
const assume = (caller: Parameters<typeof simulate>[0]["caller"]) =>
  simulate({
    caller,
    action: "sts:AssumeRole",
    resource: ROLE_ARN,
    resourceAccount: ORG.security,
    resourcePolicy: configAggregatorRoleTrust(),
  }).then((r) => r.result);

describe("the Config aggregator role's trust", () => {
  it("lets AWS Config assume it", async () => {
    expect(await assume(serviceCaller({ service: "config.amazonaws.com", sourceAccount: ORG.security }))).toBe(
      "Allowed",
    );
  });
  it.each([
    [
      "another service of the same account",
      serviceCaller({ service: "lambda.amazonaws.com", sourceAccount: ORG.security }),
    ],
    [
      "an admin role of the security account",
      roleCaller({ accountId: ORG.security, roleName: "Admin", identityPolicies: [allowAll()] }),
    ],
    [
      "a role of a member account",
      roleCaller({ accountId: ORG.member, roleName: "Admin", identityPolicies: [allowAll()] }),
    ],
  ])("refuses %s", async (_label, caller) => {
    expect(await assume(caller)).toBe("ImplicitlyDenied");
  });
});
