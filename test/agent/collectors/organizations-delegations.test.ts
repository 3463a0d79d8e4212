/**
 * The delegated-administrator reads of collectOrganization where moto cannot answer as AWS does:
 * moto 5.2.5 refuses RegisterDelegatedAdministrator for config.amazonaws.com, securityhub.amazonaws.com
 * and inspector2.amazonaws.com (its list of services that take a delegated administrator is shorter
 * than AWS's), serves no page tokens, and answers ListDelegatedAdministrators outside an organization
 * with an empty list. So the baseline's five delegations, paging and a denial are recorded answers in
 * the API's own shape (ListDelegatedAdministrators, ListDelegatedServicesForAccount in
 * @aws-sdk/client-organizations), and each test says "recorded".
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  AWSOrganizationsNotInUseException,
  DescribeOrganizationCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type ListDelegatedAdministratorsCommandOutput,
} from "@aws-sdk/client-organizations";
import { collectOrganization } from "../../../agent/collectors/organizations";
import * as check from "../../../agent/checks/organization/delegated-administrators";
import { BASELINE_DELEGATED_SERVICES, cleanManifest, cleanObserved, CTX, ORG } from "../checks/fixtures";

const orgMock = mockClient(OrganizationsClient);
afterEach(() => orgMock.reset());
afterAll(() => orgMock.restore());

const JOINED = new Date("2025-03-01T10:00:00.000Z");
const admin = (
  id: string,
  name: string,
): NonNullable<ListDelegatedAdministratorsCommandOutput["DelegatedAdministrators"]>[number] => ({
  Id: id,
  Arn: `arn:aws:organizations::${ORG.management}:account/${ORG.id}/${id}`,
  Email: `${name}@example.com`,
  Name: name,
  Status: "ACTIVE",
  State: "ACTIVE",
  JoinedMethod: "CREATED",
  JoinedTimestamp: JOINED,
  DelegationEnabledDate: JOINED,
});

/** The calls collectOrganization makes besides the delegations, answered for the fixture organization. */
function organizationAnswers(): void {
  orgMock.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: ORG.id, FeatureSet: "ALL", MasterAccountId: ORG.management },
  });
  orgMock.on(ListRootsCommand).resolves({
    Roots: [{ Id: ORG.rootId, Name: "Root", PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }] }],
  });
  orgMock.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
  orgMock.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
  orgMock.on(ListPoliciesCommand).resolves({ Policies: [] });
  orgMock.on(ListAWSServiceAccessForOrganizationCommand).resolves({ EnabledServicePrincipals: [] });
}

describe("collectOrganization: delegated administrators (recorded)", () => {
  it("recorded: reads every page of both lists, and the baseline's five delegations PASS delegated-administrators", async () => {
    organizationAnswers();
    orgMock
      .on(ListDelegatedAdministratorsCommand, {})
      .resolves({ DelegatedAdministrators: [admin(ORG.security, "security")], NextToken: "page-2" })
      .on(ListDelegatedAdministratorsCommand, { NextToken: "page-2" })
      .resolves({ DelegatedAdministrators: [admin(ORG.member, "workload")] });
    orgMock
      .on(ListDelegatedServicesForAccountCommand, { AccountId: ORG.security })
      .resolves({
        DelegatedServices: BASELINE_DELEGATED_SERVICES.slice(0, 3).map((ServicePrincipal) => ({
          ServicePrincipal,
          DelegationEnabledDate: JOINED,
        })),
        NextToken: "more",
      })
      .on(ListDelegatedServicesForAccountCommand, { AccountId: ORG.security, NextToken: "more" })
      .resolves({
        DelegatedServices: BASELINE_DELEGATED_SERVICES.slice(3).map((ServicePrincipal) => ({
          ServicePrincipal,
          DelegationEnabledDate: JOINED,
        })),
      })
      .on(ListDelegatedServicesForAccountCommand, { AccountId: ORG.member })
      .resolves({ DelegatedServices: [{ ServicePrincipal: "ssm.amazonaws.com", DelegationEnabledDate: JOINED }] });

    const observed = await collectOrganization(new OrganizationsClient({ region: "us-east-1" }), ORG.management);

    expect(observed.delegatedAdministrators).toEqual({
      ok: true,
      value: [
        { accountId: ORG.security, name: "security", status: "ACTIVE", services: [...BASELINE_DELEGATED_SERVICES] },
        { accountId: ORG.member, name: "workload", status: "ACTIVE", services: ["ssm.amazonaws.com"] },
      ],
    });
    const o = cleanObserved();
    o.organization.delegatedAdministrators = observed.delegatedAdministrators;
    const fs = check.evaluate(o, cleanManifest(), CTX);
    expect(fs.map((f) => [f.key, f.status])).toEqual(BASELINE_DELEGATED_SERVICES.map((s) => [s, "PASS"]));
    expect(fs[0].message).toContain("(ssm.amazonaws.com) are not judged");
  });

  it("recorded: a Security Hub administrator other than the security account is read and is CRITICAL", async () => {
    organizationAnswers();
    orgMock
      .on(ListDelegatedAdministratorsCommand)
      .resolves({ DelegatedAdministrators: [admin(ORG.security, "security"), admin(ORG.member, "workload")] });
    orgMock
      .on(ListDelegatedServicesForAccountCommand, { AccountId: ORG.security })
      .resolves({ DelegatedServices: BASELINE_DELEGATED_SERVICES.map((ServicePrincipal) => ({ ServicePrincipal })) })
      .on(ListDelegatedServicesForAccountCommand, { AccountId: ORG.member })
      .resolves({ DelegatedServices: [{ ServicePrincipal: "securityhub.amazonaws.com" }] });

    const observed = await collectOrganization(new OrganizationsClient({ region: "us-east-1" }), ORG.management);
    const o = cleanObserved();
    o.organization.delegatedAdministrators = observed.delegatedAdministrators;
    const f = check.evaluate(o, cleanManifest(), CTX).find((x) => x.key === "securityhub.amazonaws.com")!;
    expect([f.status, f.severity]).toEqual(["FAIL", "CRITICAL"]);
    expect(f.message).toContain(
      `${ORG.member} (workload) is also delegated administrator of securityhub.amazonaws.com`,
    );
  });

  it("recorded: a failed ListDelegatedAdministrators is its error (AWS raises it outside an organization)", async () => {
    organizationAnswers();
    orgMock.on(ListDelegatedAdministratorsCommand).rejects(
      new AWSOrganizationsNotInUseException({
        message: "Your account is not a member of an organization.",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const observed = await collectOrganization(new OrganizationsClient({ region: "us-east-1" }), ORG.management);
    const d = observed.delegatedAdministrators!;
    expect(d.ok ? "read" : [d.error.name, d.error.operation, d.error.service]).toEqual([
      "AWSOrganizationsNotInUseException",
      "ListDelegatedAdministrators",
      "organizations",
    ]);
    expect(orgMock.commandCalls(ListDelegatedServicesForAccountCommand)).toHaveLength(0);
  });

  it("recorded: a failed ListDelegatedServicesForAccount fails the whole reading, naming that call", async () => {
    organizationAnswers();
    orgMock
      .on(ListDelegatedAdministratorsCommand)
      .resolves({ DelegatedAdministrators: [admin(ORG.security, "security")] });
    orgMock.on(ListDelegatedServicesForAccountCommand).rejects(
      Object.assign(new Error("User is not authorized to perform: organizations:ListDelegatedServicesForAccount"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const observed = await collectOrganization(new OrganizationsClient({ region: "us-east-1" }), ORG.management);
    const d = observed.delegatedAdministrators!;
    expect(d.ok ? "read" : [d.error.name, d.error.operation, d.error.kind]).toEqual([
      "AccessDeniedException",
      "ListDelegatedServicesForAccount",
      "access-denied",
    ]);
  });
});
