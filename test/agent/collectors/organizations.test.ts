import { afterEach, describe, expect, it } from "vitest";
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  EnableAWSServiceAccessCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  RegisterDelegatedAdministratorCommand,
} from "@aws-sdk/client-organizations";
import { collectOrganization } from "../../../agent/collectors/organizations";
import { useMoto } from "../../helpers/moto";
import { agentClients, MOTO_DEFAULT_ACCOUNT } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const SCP = {
  Version: "2012-10-17",
  Statement: [{ Sid: "DenyStopLogging", Effect: "Deny", Action: "cloudtrail:StopLogging", Resource: "*" }],
};

describe("collectOrganization (moto)", () => {
  it("reads the organization id, every account with its parent chain, and each SCP with content and targets", async () => {
    env = agentClients(moto.endpoint);
    const org = await env.get(OrganizationsClient, MOTO_DEFAULT_ACCOUNT);
    const orgId = (await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }))).Organization!.Id!;
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    const parentOu = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "Workloads" })))
      .OrganizationalUnit!.Id!;
    const childOu = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parentOu, Name: "Prod" })))
      .OrganizationalUnit!.Id!;
    const member = (await org.send(new CreateAccountCommand({ AccountName: "Workload", Email: "w@example.com" })))
      .CreateAccountStatus!.AccountId!;
    await org.send(new MoveAccountCommand({ AccountId: member, SourceParentId: rootId, DestinationParentId: childOu }));
    const scpId = (
      await org.send(
        new CreatePolicyCommand({
          Name: "protect",
          Description: "d",
          Type: "SERVICE_CONTROL_POLICY",
          Content: JSON.stringify(SCP),
        }),
      )
    ).Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: scpId, TargetId: parentOu }));

    const observed = await collectOrganization(org, MOTO_DEFAULT_ACCOUNT);

    expect(observed.organizationId).toEqual({ ok: true, value: orgId });
    if (!observed.accounts.ok) throw new Error(observed.accounts.error.name);
    const byId = Object.fromEntries(observed.accounts.value.map((a) => [a.id, a]));
    expect(Object.keys(byId).sort()).toEqual([MOTO_DEFAULT_ACCOUNT, member].sort());
    expect(byId[member]).toEqual({
      id: member,
      name: "Workload",
      email: "w@example.com",
      status: "ACTIVE",
      parentPath: [childOu, parentOu, rootId],
    });
    expect(byId[MOTO_DEFAULT_ACCOUNT].parentPath).toEqual([rootId]);
    if (!observed.scps.ok) throw new Error(observed.scps.error.name);
    const scp = observed.scps.value.find((s) => s.id === scpId);
    expect(scp).toEqual({ id: scpId, name: "protect", content: SCP, targets: [parentOu] });
    // FullAWSAccess is attached to the root by the organization itself; it is listed too, so a check can see every SCP.
    expect(observed.scps.value.map((s) => s.name).sort()).toEqual(["FullAWSAccess", "protect"]);
  });

  it("an account outside any organization yields DescribeOrganization's AWS error name, not an id", async () => {
    env = agentClients(moto.endpoint);
    const org = await env.get(OrganizationsClient, MOTO_DEFAULT_ACCOUNT);
    const observed = await collectOrganization(org, MOTO_DEFAULT_ACCOUNT);
    expect(observed.organizationId).toEqual({
      ok: false,
      error: expect.objectContaining({
        name: "AWSOrganizationsNotInUseException",
        operation: "DescribeOrganization",
        service: "organizations",
        account: MOTO_DEFAULT_ACCOUNT,
        region: "global",
      }),
    });
    // (moto answers ListAccounts with an empty list here where AWS raises the same error; the id error alone makes the checks report ERROR.)
  });

  it("walks the tree: Organizations calls grow with OUs and pages, not with accounts (no ListParents per account)", async () => {
    env = agentClients(moto.endpoint);
    const org = await env.get(OrganizationsClient, MOTO_DEFAULT_ACCOUNT);
    await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    const ou = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "Workloads" })))
      .OrganizationalUnit!.Id!;
    const nested = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: ou, Name: "Prod" })))
      .OrganizationalUnit!.Id!;
    const members: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = (await org.send(new CreateAccountCommand({ AccountName: `w${i}`, Email: `w${i}@example.com` })))
        .CreateAccountStatus!.AccountId!;
      await org.send(
        new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: i % 2 ? ou : nested }),
      );
      members.push(id);
    }
    const calls: string[] = [];
    org.middlewareStack.add((next, context) => (args) => (calls.push(context.commandName ?? "?"), next(args)), {
      step: "initialize",
      name: "countCalls",
    });

    const observed = await collectOrganization(org, MOTO_DEFAULT_ACCOUNT);
    org.middlewareStack.remove("countCalls");

    if (!observed.accounts.ok) throw new Error("accounts not read");
    expect(observed.accounts.value.map((a) => a.id)).toEqual([MOTO_DEFAULT_ACCOUNT, ...members].sort());
    const count = (op: string) => calls.filter((c) => c === `${op}Command`).length;
    expect(count("ListParents")).toBe(0);
    expect(count("ListRoots")).toBe(1);
    // One listing of child OUs per node (root, Workloads, Prod); the account listings are pages, far fewer than 31 accounts.
    expect(count("ListOrganizationalUnitsForParent")).toBe(3);
    expect(count("ListAccountsForParent")).toBeGreaterThanOrEqual(3);
    expect(count("ListAccountsForParent")).toBeLessThan(10);
  });
});

describe("collectOrganization (moto): the organization's own settings and its delegated administrators", () => {
  it("reads the feature set, the root's policy types, the trusted services, and each delegated administrator with its services", async () => {
    env = agentClients(moto.endpoint);
    const org = await env.get(OrganizationsClient, MOTO_DEFAULT_ACCOUNT);
    await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: "SERVICE_CONTROL_POLICY" }));
    for (const ServicePrincipal of ["cloudtrail.amazonaws.com", "guardduty.amazonaws.com"])
      await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal }));
    const account = async (name: string) =>
      (await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` })))
        .CreateAccountStatus!.AccountId!;
    const security = await account("security");
    const other = await account("other");
    // moto 5.2.5 registers only some principals (guardduty, config-multiaccountsetup, ssm among them; not
    // config.amazonaws.com, securityhub or inspector2): those are the recorded test's (organizations-delegations.test.ts).
    for (const ServicePrincipal of ["config-multiaccountsetup.amazonaws.com", "guardduty.amazonaws.com"])
      await org.send(new RegisterDelegatedAdministratorCommand({ AccountId: security, ServicePrincipal }));
    await org.send(
      new RegisterDelegatedAdministratorCommand({ AccountId: other, ServicePrincipal: "ssm.amazonaws.com" }),
    );

    const observed = await collectOrganization(org, MOTO_DEFAULT_ACCOUNT);

    expect(observed.featureSet).toEqual({ ok: true, value: "ALL" });
    expect(observed.roots).toEqual({
      ok: true,
      value: [{ id: rootId, policyTypes: [{ type: "SERVICE_CONTROL_POLICY", status: "ENABLED" }] }],
    });
    expect(observed.enabledServicePrincipals).toEqual({
      ok: true,
      value: ["cloudtrail.amazonaws.com", "guardduty.amazonaws.com"],
    });
    expect(observed.delegatedAdministrators).toEqual({
      ok: true,
      value: [
        {
          accountId: security,
          name: "security",
          status: "ACTIVE",
          services: ["config-multiaccountsetup.amazonaws.com", "guardduty.amazonaws.com"],
        },
        { accountId: other, name: "other", status: "ACTIVE", services: ["ssm.amazonaws.com"] },
      ].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    });
  });

  it("a root with no policy type enabled and an organization without delegated administrators are read as such, not as errors", async () => {
    env = agentClients(moto.endpoint);
    const org = await env.get(OrganizationsClient, MOTO_DEFAULT_ACCOUNT);
    await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    const observed = await collectOrganization(org, MOTO_DEFAULT_ACCOUNT);
    expect(observed.roots).toEqual({ ok: true, value: [{ id: rootId, policyTypes: [] }] });
    expect(observed.delegatedAdministrators).toEqual({ ok: true, value: [] });
    expect(observed.enabledServicePrincipals).toEqual({ ok: true, value: [] });
  });

  it("outside any organization the feature set and the roots are their call's error, not an empty reading", async () => {
    env = agentClients(moto.endpoint);
    const org = await env.get(OrganizationsClient, MOTO_DEFAULT_ACCOUNT);
    const observed = await collectOrganization(org, MOTO_DEFAULT_ACCOUNT);
    const failure = (p: { ok: boolean; error?: { name: string; operation: string } } | undefined) =>
      p && !p.ok ? [p.error!.name, p.error!.operation] : p;
    expect(failure(observed.featureSet)).toEqual(["AWSOrganizationsNotInUseException", "DescribeOrganization"]);
    expect(failure(observed.roots)).toEqual(["AWSOrganizationsNotInUseException", "ListRoots"]);
    // moto answers ListDelegatedAdministrators outside an organization with an empty list (AWS raises the same
    // error); the denial of it is the recorded test's. An empty list FAILs every service, it never PASSes.
    expect(observed.delegatedAdministrators).toEqual({ ok: true, value: [] });
  });
});
