import { describe, expect, it } from "vitest";
import {
  CIS_FILTERS,
  cisFilterName,
  compileFilterPattern,
  FilterPatternError,
  matchesFilterPattern,
  ORGANIZATIONS_EVENTS,
} from "../../../baseline/detection";
import { apiCall, consoleLogin, denied, rootApiCall, rootServiceEvent, rootViaService } from "./cloudtrail-events";

type Case = { id: string; match: Record<string, unknown>; miss: Record<string, unknown>; why: string };

const CASES: Case[] = [
  {
    id: "4.1",
    match: denied("ec2.amazonaws.com", "RunInstances", "Client.UnauthorizedOperation"),
    miss: denied("s3.amazonaws.com", "HeadBucket", "AccessDenied"),
    why: "HeadBucket is excluded",
  },
  {
    id: "4.2",
    match: consoleLogin({ mfa: "No", result: "Success" }),
    miss: consoleLogin({ mfa: "Yes", result: "Success" }),
    why: "MFA used",
  },
  {
    id: "4.3",
    match: rootApiCall("CreateAccessKey"),
    miss: rootViaService("PutObject"),
    why: "invokedBy present: a service acted for root",
  },
  {
    id: "4.4",
    match: apiCall("iam.amazonaws.com", "AttachRolePolicy"),
    miss: apiCall("iam.amazonaws.com", "CreateRole"),
    why: "not a policy change",
  },
  {
    id: "4.5",
    match: apiCall("cloudtrail.amazonaws.com", "StopLogging"),
    miss: apiCall("cloudtrail.amazonaws.com", "DescribeTrails"),
    why: "read-only",
  },
  {
    id: "4.6",
    match: consoleLogin({ mfa: "No", result: "Failure", errorMessage: "Failed authentication" }),
    miss: consoleLogin({ mfa: "No", result: "Success" }),
    why: "successful sign-in",
  },
  {
    id: "4.7",
    match: apiCall("kms.amazonaws.com", "ScheduleKeyDeletion"),
    miss: apiCall("kms.amazonaws.com", "EnableKey"),
    why: "not a disable/delete",
  },
  {
    id: "4.8",
    match: apiCall("s3.amazonaws.com", "PutBucketPolicy"),
    miss: apiCall("s3.amazonaws.com", "PutObject"),
    why: "object write",
  },
  {
    id: "4.9",
    match: apiCall("config.amazonaws.com", "StopConfigurationRecorder"),
    miss: apiCall("config.amazonaws.com", "StartConfigurationRecorder"),
    why: "start is not a weakening",
  },
  {
    id: "4.10",
    match: apiCall("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"),
    miss: apiCall("ec2.amazonaws.com", "DescribeSecurityGroups"),
    why: "read-only",
  },
  {
    id: "4.11",
    match: apiCall("ec2.amazonaws.com", "ReplaceNetworkAclEntry"),
    miss: apiCall("ec2.amazonaws.com", "DescribeNetworkAcls"),
    why: "read-only",
  },
  {
    id: "4.12",
    match: apiCall("ec2.amazonaws.com", "AttachInternetGateway"),
    miss: apiCall("ec2.amazonaws.com", "CreateNatGateway"),
    why: "NAT gateways are not on the CIS list",
  },
  {
    id: "4.13",
    match: apiCall("ec2.amazonaws.com", "CreateRoute"),
    miss: apiCall("ec2.amazonaws.com", "CreateVpc"),
    why: "VPC change, not route",
  },
  {
    id: "4.14",
    match: apiCall("ec2.amazonaws.com", "CreateVpcPeeringConnection"),
    miss: apiCall("ec2.amazonaws.com", "CreateSubnet"),
    why: "subnets are not on the CIS list",
  },
  {
    id: "4.15",
    match: apiCall("organizations.amazonaws.com", "DetachPolicy"),
    miss: apiCall("organizations.amazonaws.com", "ListAccounts"),
    why: "read-only",
  },
];

describe("CIS_FILTERS", () => {
  it("holds the 15 CIS v1.4/v1.5 monitoring controls 4.1–4.15 in order, with unique metric names", () => {
    expect(CIS_FILTERS.map((f) => f.id)).toEqual(Array.from({ length: 15 }, (_, n) => `4.${n + 1}`));
    expect(new Set(CIS_FILTERS.map((f) => f.metricName)).size).toBe(15);
  });

  it("maps to Security Hub CloudWatch.1–14 and CIS v1.2.0 3.1–3.14 (4.15 has neither)", () => {
    expect(Object.fromEntries(CIS_FILTERS.map((f) => [f.id, [f.securityHubControl, f.cisV12Id]]))).toEqual({
      "4.1": ["CloudWatch.2", "3.1"],
      "4.2": ["CloudWatch.3", "3.2"],
      "4.3": ["CloudWatch.1", "3.3"],
      "4.4": ["CloudWatch.4", "3.4"],
      "4.5": ["CloudWatch.5", "3.5"],
      "4.6": ["CloudWatch.6", "3.6"],
      "4.7": ["CloudWatch.7", "3.7"],
      "4.8": ["CloudWatch.8", "3.8"],
      "4.9": ["CloudWatch.9", "3.9"],
      "4.10": ["CloudWatch.10", "3.10"],
      "4.11": ["CloudWatch.11", "3.11"],
      "4.12": ["CloudWatch.12", "3.12"],
      "4.13": ["CloudWatch.13", "3.13"],
      "4.14": ["CloudWatch.14", "3.14"],
      "4.15": [undefined, undefined],
    });
  });

  it("uses the exact root-usage pattern of CloudWatch.1", () => {
    expect(CIS_FILTERS.find((f) => f.id === "4.3")!.pattern).toBe(
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    );
  });

  it("uses the grouped unauthorized-calls pattern", () => {
    expect(CIS_FILTERS[0].pattern).toBe(
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    );
  });

  it("names filters cis-<id>-<metric>", () => {
    expect(cisFilterName(CIS_FILTERS[9])).toBe("cis-4-10-SecurityGroupChanges");
  });

  it("every pattern parses", () => {
    for (const f of CIS_FILTERS) expect(() => compileFilterPattern(f.pattern), f.id).not.toThrow();
  });

  it("has one matching and one non-matching case per filter", () => {
    expect(CASES.map((c) => c.id)).toEqual(CIS_FILTERS.map((f) => f.id));
  });

  for (const c of CASES) {
    const f = CIS_FILTERS.find((x) => x.id === c.id)!;
    it(`${c.id} ${f.title}: matches its event, not the near miss (${c.why})`, () => {
      expect(matchesFilterPattern(f.pattern, c.match)).toBe(true);
      expect(matchesFilterPattern(f.pattern, c.miss)).toBe(false);
    });
  }
});

describe("CIS patterns on more real event shapes", () => {
  const byId = (id: string) => compileFilterPattern(CIS_FILTERS.find((f) => f.id === id)!.pattern);

  it("4.15 lists exactly the 18 CIS events plus CancelHandshake, CreateOrganization and EnableAllFeatures", () => {
    expect([...ORGANIZATIONS_EVENTS].sort()).toEqual(
      [
        "AcceptHandshake",
        "AttachPolicy",
        "CreateAccount",
        "CreateOrganizationalUnit",
        "CreatePolicy",
        "DeclineHandshake",
        "DeleteOrganization",
        "DeleteOrganizationalUnit",
        "DeletePolicy",
        "DetachPolicy",
        "DisablePolicyType",
        "EnablePolicyType",
        "InviteAccountToOrganization",
        "LeaveOrganization",
        "MoveAccount",
        "RemoveAccountFromOrganization",
        "UpdatePolicy",
        "UpdateOrganizationalUnit",
        "CancelHandshake",
        "CreateOrganization",
        "EnableAllFeatures",
      ].sort(),
    );
  });

  it("4.15 matches CancelHandshake (an invitation withdrawn by the management account)", () => {
    expect(
      byId("4.15")(
        apiCall("organizations.amazonaws.com", "CancelHandshake", {
          requestParameters: { handshakeId: "h-examplehandshakeid111" },
        }),
      ),
    ).toBe(true);
  });

  it("4.15 does not match DescribeHandshake (reading the same handshake)", () => {
    expect(
      byId("4.15")(
        apiCall("organizations.amazonaws.com", "DescribeHandshake", {
          readOnly: true,
          requestParameters: { handshakeId: "h-examplehandshakeid111" },
        }),
      ),
    ).toBe(false);
  });

  it("4.15 matches CreateOrganization", () => {
    expect(
      byId("4.15")(
        apiCall("organizations.amazonaws.com", "CreateOrganization", { requestParameters: { featureSet: "ALL" } }),
      ),
    ).toBe(true);
  });

  it("4.15 does not match DescribeOrganization", () => {
    expect(byId("4.15")(apiCall("organizations.amazonaws.com", "DescribeOrganization", { readOnly: true }))).toBe(
      false,
    );
  });

  it("4.15 matches EnableAllFeatures", () => {
    expect(
      byId("4.15")(
        apiCall("organizations.amazonaws.com", "EnableAllFeatures", {
          responseElements: { handshake: { id: "h-examplehandshakeid222", action: "ENABLE_ALL_FEATURES" } },
        }),
      ),
    ).toBe(true);
  });

  it("4.15 does not match ListHandshakesForOrganization (reading the all-features handshake)", () => {
    expect(
      byId("4.15")(
        apiCall("organizations.amazonaws.com", "ListHandshakesForOrganization", {
          readOnly: true,
          requestParameters: { filter: { actionType: "ENABLE_ALL_FEATURES" } },
        }),
      ),
    ).toBe(false);
  });

  it("4.1 matches AccessDenied from S3 and ignores log delivery's own denials", () => {
    expect(byId("4.1")(denied("s3.amazonaws.com", "GetObject", "AccessDenied"))).toBe(true);
    expect(
      byId("4.1")(
        denied("s3.amazonaws.com", "PutObject", "AccessDenied", { sourceIPAddress: "delivery.logs.amazonaws.com" }),
      ),
    ).toBe(false);
    expect(byId("4.1")(apiCall("s3.amazonaws.com", "GetObject"))).toBe(false);
  });

  it("4.2 ignores failed sign-ins and federated (assumed-role) sign-ins", () => {
    expect(byId("4.2")(consoleLogin({ mfa: "No", result: "Failure", errorMessage: "Failed authentication" }))).toBe(
      false,
    );
    const federated = consoleLogin({
      mfa: "No",
      result: "Success",
      identity: { type: "AssumedRole", arn: "arn:aws:sts::444444444444:assumed-role/AWSReservedSSO_Admin/alice" },
    });
    expect(byId("4.2")(federated)).toBe(false);
  });

  it("4.3 ignores service events recorded against root", () => {
    expect(byId("4.3")(rootServiceEvent())).toBe(false);
  });

  it("4.6 does not match a sign-in that failed for another reason", () => {
    expect(
      byId("4.6")(
        consoleLogin({ mfa: "No", result: "Failure", errorMessage: "No username found in supplied account" }),
      ),
    ).toBe(false);
  });

  it("4.7 and 4.13 require their event source", () => {
    expect(byId("4.7")(apiCall("cloudhsm.amazonaws.com", "DisableKey"))).toBe(false);
    expect(byId("4.13")(apiCall("ec2.amazonaws.com", "DisassociateRouteTable"))).toBe(true);
  });
});

describe("compileFilterPattern", () => {
  it("treats * as a wildcard only inside values", () => {
    const p = compileFilterPattern('{ $.errorCode = "*Unauthorized*" }');
    expect(p({ errorCode: "Client.UnauthorizedOperation" })).toBe(true);
    expect(p({ errorCode: "Client.Unauthorize" })).toBe(false);
  });

  it("NOT EXISTS is true only for an absent property; null is present", () => {
    const p = compileFilterPattern("{ $.a.b NOT EXISTS }");
    expect(p({ a: {} })).toBe(true);
    expect(p({})).toBe(true);
    expect(p({ a: { b: null } })).toBe(false);
  });

  it("a comparison on an absent property is false for = and for !=", () => {
    expect(matchesFilterPattern('{ $.x = "y" }', {})).toBe(false);
    expect(matchesFilterPattern('{ $.x != "y" }', {})).toBe(false);
    expect(matchesFilterPattern('{ $.x != "y" }', { x: "z" })).toBe(true);
  });

  it("does not read regex metacharacters in values as regex", () => {
    expect(matchesFilterPattern("{ $.eventSource = kms.amazonaws.com }", { eventSource: "kmsXamazonawsXcom" })).toBe(
      false,
    );
  });

  it("rejects && and || mixed without parentheses, naming the position", () => {
    expect(() => compileFilterPattern("{ ($.a = 1) || ($.b = 2) && ($.c = 3) }")).toThrow(FilterPatternError);
    expect(() => compileFilterPattern("{ ($.a = 1) || ($.b = 2) && ($.c = 3) }")).toThrow(
      /&& and \|\| mixed without parentheses at position 25/,
    );
  });

  it("rejects a pattern without braces and trailing text", () => {
    expect(() => compileFilterPattern('$.a = "b"')).toThrow(/expected "\{" at position 0/);
    expect(() => compileFilterPattern('{ $.a = "b" } x')).toThrow(/unexpected text after the closing brace/);
  });
});
