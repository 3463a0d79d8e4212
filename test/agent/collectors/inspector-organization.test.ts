/**
 * Inspector's organization collector. moto 5.2.5 serves EnableDelegatedAdminAccount /
 * ListDelegatedAdminAccounts (management account), UpdateOrganizationConfiguration /
 * DescribeOrganizationConfiguration and AssociateMember / DisassociateMember / ListMembers
 * (security account), each account's in its own backend, but never a nextToken page, a status
 * other than ENABLED or DISABLED, maxAccountLimitReached true, or another administrator: those are
 * recorded answers in the API's own shape (@aws-sdk/client-inspector2), and each such test says "recorded".
 */
import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  AssociateMemberCommand,
  DescribeOrganizationConfigurationCommand,
  DisassociateMemberCommand,
  EnableDelegatedAdminAccountCommand,
  Inspector2Client,
  ListDelegatedAdminAccountsCommand,
  ListMembersCommand,
  UpdateOrganizationConfigurationCommand,
  type ListMembersCommandOutput,
} from "@aws-sdk/client-inspector2";
import {
  collectDelegatedAdmins,
  collectInspectorAdministration,
} from "../../../agent/collectors/inspector-organization";
import * as orgCheck from "../../../agent/checks/detection/inspector-organization";
import * as membersCheck from "../../../agent/checks/detection/inspector-members";
import type { ObservedInspectorRegion } from "../../../agent/model";
import { inspectorAutoEnable } from "../../../baseline/detection/inspector";
import { useMoto } from "../../helpers/moto";
import { cleanManifest, cleanObserved, CTX, HOME, ORG, OTHER_REGION } from "../checks/fixtures";
import { agentClients } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients> | undefined;
afterEach(() => {
  env?.destroy();
  env = undefined;
});

/** Lays Inspector's organization in moto as infra/detection/inspector.ts does, in one region, and reads it back. */
async function layAndRead(
  region: string,
  change: { disassociate?: string; autoEnable?: Partial<Record<string, boolean>> } = {},
): Promise<ObservedInspectorRegion> {
  env ??= agentClients(moto.endpoint);
  const mgmt = await env.get(Inspector2Client, ORG.management, region);
  await mgmt.send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.security }));
  const security = await env.get(Inspector2Client, ORG.security, region);
  const autoEnable = { ...inspectorAutoEnable(["EC2", "ECR", "LAMBDA"]), ...change.autoEnable };
  await security.send(
    new UpdateOrganizationConfigurationCommand({
      autoEnable: autoEnable as { ec2: boolean; ecr: boolean; lambda: boolean; lambdaCode: boolean },
    }),
  );
  for (const accountId of [ORG.logArchive, ORG.member]) await security.send(new AssociateMemberCommand({ accountId }));
  if (change.disassociate) await security.send(new DisassociateMemberCommand({ accountId: change.disassociate }));
  return {
    delegatedAdmins: await collectDelegatedAdmins(mgmt, ORG.management, region),
    ...(await collectInspectorAdministration(security, ORG.security, region)),
  };
}

describe("Inspector's organization over moto (management and security accounts entered through the read role)", () => {
  it("reads the delegation, the configuration and the members as laid; both checks PASS on it", async () => {
    const home = await layAndRead(HOME);
    expect(home.delegatedAdmins).toEqual({ ok: true, value: [{ accountId: ORG.security, status: "ENABLED" }] });
    expect(home.configuration).toEqual({
      ok: true,
      value: {
        autoEnable: { ec2: true, ecr: true, lambda: true, lambdaCode: false },
        maxAccountLimitReached: false,
      },
    });
    expect(home.members.ok && home.members.value.map(({ updatedAt: _, ...m }) => m)).toEqual([
      { accountId: ORG.logArchive, relationshipStatus: "ENABLED", delegatedAdminAccountId: ORG.security },
      { accountId: ORG.member, relationshipStatus: "ENABLED", delegatedAdminAccountId: ORG.security },
    ]);
    const o = cleanObserved();
    o.inspectorOrganization!.byRegion = { [HOME]: home, [OTHER_REGION]: await layAndRead(OTHER_REGION) };
    expect(orgCheck.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.region])).toEqual([
      ["PASS", HOME],
      ["PASS", OTHER_REGION],
    ]);
    expect(membersCheck.evaluate(o, cleanManifest(), CTX).map((f) => f.status)).toEqual([
      "PASS",
      "PASS",
      "PASS",
      "PASS",
    ]);
  });

  it("drift: ECR auto-enable turned off and a member disassociated FAIL, in that region only", async () => {
    const o = cleanObserved();
    o.inspectorOrganization!.byRegion = {
      [HOME]: await layAndRead(HOME, { autoEnable: { ecr: false }, disassociate: ORG.member }),
      [OTHER_REGION]: await layAndRead(OTHER_REGION),
    };
    expect(orgCheck.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.region, f.message])).toEqual([
      ["FAIL", HOME, `AutoEnable.ecr is false in ${HOME}: accounts that join later get no ECR scanning.`],
      ["PASS", OTHER_REGION, expect.any(String)],
    ]);
    expect(membersCheck.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.account, f.region])).toEqual([
      ["PASS", ORG.logArchive, HOME],
      ["FAIL", ORG.member, HOME],
      ["PASS", ORG.logArchive, OTHER_REGION],
      ["PASS", ORG.member, OTHER_REGION],
    ]);
  });

  it("nothing laid: no delegated administrator and no member, as observed absences, not failures", async () => {
    env = agentClients(moto.endpoint);
    const mgmt = await env.get(Inspector2Client, ORG.management, HOME);
    const security = await env.get(Inspector2Client, ORG.security, HOME);
    expect(await collectDelegatedAdmins(mgmt, ORG.management, HOME)).toEqual({ ok: true, value: [] });
    expect((await collectInspectorAdministration(security, ORG.security, HOME)).members).toEqual({
      ok: true,
      value: [],
    });
  });
});

// Each recorded test mocks its own client instance: a class-wide mock would also answer the moto tests' clients.
const mocks: { restore(): void }[] = [];
function recorded() {
  const c = new Inspector2Client({ region: HOME, credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  const insMock = mockClient(c);
  mocks.push(insMock);
  return { c, insMock };
}

describe("Inspector's organization collector (recorded: what moto does not serve)", () => {
  afterEach(() => {
    for (const m of mocks.splice(0)) m.restore();
  });

  it("recorded: reads every ListMembers and ListDelegatedAdminAccounts page, onlyAssociated false", async () => {
    const { c, insMock } = recorded();
    const page1: ListMembersCommandOutput = {
      $metadata: { httpStatusCode: 200 },
      members: [
        {
          accountId: ORG.logArchive,
          relationshipStatus: "ENABLED",
          delegatedAdminAccountId: ORG.security,
          updatedAt: new Date("2026-11-01T10:00:00.000Z"),
        },
      ],
      nextToken: "page-2",
    };
    insMock
      .on(ListMembersCommand, { onlyAssociated: false, nextToken: undefined })
      .resolves(page1)
      .on(ListMembersCommand, { onlyAssociated: false, nextToken: "page-2" })
      .resolves({
        $metadata: { httpStatusCode: 200 },
        members: [
          { accountId: ORG.member, relationshipStatus: "CREATED", delegatedAdminAccountId: ORG.security },
          { accountId: ORG.outsider, relationshipStatus: "ENABLED", delegatedAdminAccountId: "555555555555" },
        ],
      });
    insMock.on(DescribeOrganizationConfigurationCommand).resolves({
      $metadata: { httpStatusCode: 200 },
      autoEnable: { ec2: true, ecr: true, lambda: true, lambdaCode: false, codeRepository: false },
      maxAccountLimitReached: true,
    });
    insMock
      .on(ListDelegatedAdminAccountsCommand, { nextToken: undefined })
      .resolves({
        $metadata: {},
        delegatedAdminAccounts: [{ accountId: ORG.logArchive, status: "ENABLED" }],
        nextToken: "n",
      })
      .on(ListDelegatedAdminAccountsCommand, { nextToken: "n" })
      .resolves({
        $metadata: {},
        delegatedAdminAccounts: [{ accountId: ORG.security, status: "DISABLE_IN_PROGRESS" }],
      });
    const admin = await collectInspectorAdministration(c, ORG.security, HOME);
    expect(admin.members).toEqual({
      ok: true,
      value: [
        {
          accountId: ORG.logArchive,
          relationshipStatus: "ENABLED",
          delegatedAdminAccountId: ORG.security,
          updatedAt: "2026-11-01T10:00:00.000Z",
        },
        { accountId: ORG.member, relationshipStatus: "CREATED", delegatedAdminAccountId: ORG.security },
        { accountId: ORG.outsider, relationshipStatus: "ENABLED", delegatedAdminAccountId: "555555555555" },
      ],
    });
    expect(admin.configuration).toEqual({
      ok: true,
      value: {
        autoEnable: { ec2: true, ecr: true, lambda: true, lambdaCode: false, codeRepository: false },
        maxAccountLimitReached: true,
      },
    });
    expect(await collectDelegatedAdmins(c, ORG.management, HOME)).toEqual({
      ok: true,
      value: [
        { accountId: ORG.logArchive, status: "ENABLED" },
        { accountId: ORG.security, status: "DISABLE_IN_PROGRESS" },
      ],
    });
  });

  it("recorded: a denied call is a failed read naming the operation, the account and the AWS error", async () => {
    const { c, insMock } = recorded();
    const denied = Object.assign(new Error("User is not authorized to perform: inspector2:ListMembers"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 403 },
    });
    insMock.on(ListMembersCommand).rejects(denied);
    insMock
      .on(DescribeOrganizationConfigurationCommand)
      .resolves({ $metadata: {}, autoEnable: { ec2: true, ecr: true } });
    const admin = await collectInspectorAdministration(c, ORG.security, HOME);
    expect(admin.members).toMatchObject({
      ok: false,
      error: {
        name: "AccessDeniedException",
        operation: "ListMembers",
        service: "inspector2",
        account: ORG.security,
        region: HOME,
      },
    });
    // A key AWS leaves out stays out: it is never read as off.
    expect(admin.configuration).toEqual({ ok: true, value: { autoEnable: { ec2: true, ecr: true } } });
  });
});
