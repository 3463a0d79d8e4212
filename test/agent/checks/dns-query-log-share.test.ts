/**
 * dns-query-log-share and its RAM collector. moto's RAM serves the calls but cannot hold this
 * share as AWS does: it refuses a resolver-query-log-config as a share's resource ("You cannot
 * share the selected resource type") and drops an organization principal instead of keeping it.
 * So the collector is run over moto with a resource type moto accepts (a Resolver rule) and an
 * account principal, and the organization-shared configuration is a recorded RAM answer.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  CreateResourceShareCommand,
  GetResourceShareAssociationsCommand,
  GetResourceSharesCommand,
  RAMClient,
} from "@aws-sdk/client-ram";
import type { AuditManifest } from "../../../baseline";
import { collectSharesHolding } from "../../../agent/collectors/ram";
import * as check from "../../../agent/checks/archive/dns-query-log-share";
import type { ObservedResourceShare, ObservedState } from "../../../agent/model";
import { failed } from "../../../agent/model";
import { useMoto } from "../../helpers/moto";
import { agentClients } from "../collectors/_clients";
import { cleanManifest, cleanObserved, CTX, dnsShare, dnsShareArn, HOME, ORG, OTHER_REGION } from "./fixtures";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const ORG_ARN = `arn:aws:organizations::${ORG.management}:organization/${ORG.id}`;
const CONFIG_ARN = (region: string) =>
  `arn:aws:route53resolver:${region}:${ORG.logArchive}:resolver-query-log-config/rslvr-qlc-${region === HOME ? "0a1b2c3d4e5f60718" : "1b2c3d4e5f6071829"}`;

function withShares(region: string, shares: ObservedResourceShare[]): ObservedState {
  const o = cleanObserved();
  o.dnsQueryLogs!.sharesByRegion![region] = { ok: true, value: shares };
  return o;
}
const inRegion = (fs: ReturnType<typeof check.evaluate>, region: string) => fs.find((f) => f.region === region)!;

describe("dns-query-log-share: the fixture organization", () => {
  it("PASSes each region whose configuration only the baseline's share holds, with the organization as its principal", () => {
    const fs = check.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(fs.map((f) => [f.account, f.region, f.status, f.resourceArn])).toEqual([
      [ORG.logArchive, HOME, "PASS", dnsShareArn(HOME)],
      [ORG.logArchive, OTHER_REGION, "PASS", dnsShareArn(OTHER_REGION)],
      // RAM sharing with AWS Organizations, in the management account.
      [ORG.management, "global", "PASS", ORG_ARN],
    ]);
    expect(fs[2].message).toBe(
      `RAM sharing with AWS Organizations is enabled (ram.amazonaws.com has trusted access to ${ORG_ARN}).`,
    );
    expect(fs[0].message).toBe(
      `The configuration rslvr-qlc-0a1b2c3d4e5f60718 in ${HOME} is shared by ${dnsShareArn(HOME)} (ACTIVE, no external principals) with the organization ${ORG_ARN} only.`,
    );
  });

  it("a second share admitting an outside account is CRITICAL naming it; the baseline share allowing external principals and lacking the organization FAILs", () => {
    const foreign: ObservedResourceShare = {
      arn: `arn:aws:ram:${HOME}:${ORG.logArchive}:resource-share/0f0f0f0f-0000-4000-8000-000000000000`,
      name: "partner",
      status: "ACTIVE",
      allowExternalPrincipals: true,
      principals: [{ id: ORG.outsider, status: "ASSOCIATED", external: true }],
    };
    const f = inRegion(check.evaluate(withShares(HOME, [dnsShare(HOME), foreign]), cleanManifest(), CTX), HOME);
    expect([f.status, f.severity]).toEqual(["FAIL", "CRITICAL"]);
    expect(f.message).toBe(
      `The configuration rslvr-qlc-0a1b2c3d4e5f60718 in ${HOME}: share partner (${foreign.arn}) admits ${ORG.outsider}, outside the organization.`,
    );
    const open = { ...dnsShare(HOME), allowExternalPrincipals: true, principals: [] };
    const g = inRegion(check.evaluate(withShares(HOME, [open]), cleanManifest(), CTX), HOME);
    expect([g.status, g.severity]).toEqual(["FAIL", "HIGH"]);
    expect(g.message).toBe(
      `The configuration rslvr-qlc-0a1b2c3d4e5f60718 in ${HOME}: share ${dnsShareArn(HOME)} allows principals outside the organization (allowExternalPrincipals true); share ${dnsShareArn(HOME)} does not have the organization ${ORG_ARN} as a principal (it has none), so accounts outside its principals cannot associate their VPCs.`,
    );
  });

  it("another organization's ARN, an OU of another organization and a non-member account are outsiders even where RAM does not say external; a member account and an own OU are not", () => {
    const share = (principals: string[]): ObservedResourceShare => ({
      ...dnsShare(HOME),
      principals: [...dnsShare(HOME).principals, ...principals.map((id) => ({ id, status: "ASSOCIATED" }))],
    });
    for (const id of [
      "arn:aws:organizations::999999999999:organization/o-zzzzzzzzzz",
      "arn:aws:organizations::999999999999:ou/o-zzzzzzzzzz/ou-zz99-zzzzzzzz",
      ORG.outsider,
    ])
      expect(inRegion(check.evaluate(withShares(HOME, [share([id])]), cleanManifest(), CTX), HOME).severity, id).toBe(
        "CRITICAL",
      );
    const inside = [ORG.member, `arn:aws:organizations::${ORG.management}:ou/${ORG.id}/${ORG.ou.id}`];
    expect(inRegion(check.evaluate(withShares(HOME, [share(inside)]), cleanManifest(), CTX), HOME).status).toBe("PASS");
  });

  it("RAM sharing with AWS Organizations off is a FAIL in the management account; unread or not collected, an ERROR", () => {
    const o = cleanObserved();
    o.organization.enabledServicePrincipals = { ok: true, value: ["config.amazonaws.com"] };
    const off = check.evaluate(o, cleanManifest(), CTX).find((f) => f.account === ORG.management)!;
    expect([off.status, off.region]).toEqual(["FAIL", "global"]);
    expect(off.message).toContain("RAM sharing with AWS Organizations is off");
    o.organization.enabledServicePrincipals = failed({
      name: "AccessDeniedException",
      message: "denied",
      kind: "access-denied",
      operation: "ListAWSServiceAccessForOrganization",
      service: "organizations",
      account: ORG.management,
      region: "global",
    });
    const denied = check.evaluate(o, cleanManifest(), CTX).find((f) => f.account === ORG.management)!;
    expect([denied.status, denied.error?.operation]).toEqual(["ERROR", "ListAWSServiceAccessForOrganization"]);
    delete o.organization.enabledServicePrincipals;
    const none = check.evaluate(o, cleanManifest(), CTX).find((f) => f.account === ORG.management)!;
    expect([none.status, none.error?.name]).toEqual(["ERROR", "NotCollected"]);
  });

  it("no share holding the configuration, or only another one, FAILs; a DELETED baseline share FAILs", () => {
    const none = inRegion(check.evaluate(withShares(HOME, []), cleanManifest(), CTX), HOME);
    expect([none.status, none.message]).toEqual([
      "FAIL",
      `The configuration rslvr-qlc-0a1b2c3d4e5f60718 in ${HOME}: no RAM share holds the configuration, so no member account can associate its VPCs with it.`,
    ]);
    const other = inRegion(
      check.evaluate(withShares(HOME, [{ ...dnsShare(HOME), name: "renamed" }]), cleanManifest(), CTX),
      HOME,
    );
    expect(other.message).toContain(
      "no share named orgwarden-prod-dns-query-logs holds the configuration (only renamed)",
    );
    const deleted = inRegion(
      check.evaluate(withShares(HOME, [{ ...dnsShare(HOME), status: "DELETED" }]), cleanManifest(), CTX),
      HOME,
    );
    expect(deleted.message).toContain(`share ${dnsShareArn(HOME)} is DELETED, not ACTIVE`);
  });

  it("ERRORs an unread share list, a state without it, or unread configurations; FAILs where the configuration is not one; NOT_APPLICABLE without dnsQueryLogs", () => {
    const err = {
      name: "AccessDeniedException",
      message: "denied",
      kind: "access-denied" as const,
      operation: "GetResourceShareAssociations",
      service: "ram",
      account: ORG.logArchive,
      region: HOME,
    };
    const o = cleanObserved();
    o.dnsQueryLogs!.sharesByRegion![HOME] = failed(err);
    const a = inRegion(check.evaluate(o, cleanManifest(), CTX), HOME);
    expect([a.status, a.error?.operation]).toEqual(["ERROR", "GetResourceShareAssociations"]);
    delete o.dnsQueryLogs!.sharesByRegion;
    expect(check.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.error?.name])).toEqual([
      ["ERROR", "NotCollected"],
      ["ERROR", "NotCollected"],
      ["PASS", undefined],
    ]);
    const p = cleanObserved();
    p.dnsQueryLogs!.byRegion[OTHER_REGION] = { ok: true, value: [] };
    expect(inRegion(check.evaluate(p, cleanManifest(), CTX), OTHER_REGION).message).toBe(
      `The share of the query logging configuration in ${OTHER_REGION} cannot be judged: the log-archive account has 0 configurations named orgwarden-prod-dns-query-logs there, not one (see dns-query-log-config).`,
    );
    p.dnsQueryLogs!.byRegion[OTHER_REGION] = failed({ ...err, operation: "ListResolverQueryLogConfigs" });
    expect(inRegion(check.evaluate(p, cleanManifest(), CTX), OTHER_REGION).status).toBe("ERROR");
    const m: AuditManifest = { ...cleanManifest(), dnsQueryLogs: undefined };
    expect(check.evaluate(cleanObserved(), m, CTX).map((f) => f.status)).toEqual(["NOT_APPLICABLE"]);
  });
});

describe("collectSharesHolding", () => {
  it("over moto: only the shares holding the resource, each with its settings and principals, whatever else the account shares", async () => {
    env = agentClients(moto.endpoint);
    const ram = await env.get(RAMClient, ORG.logArchive, HOME);
    const rule = `arn:aws:route53resolver:${HOME}:${ORG.logArchive}:resolver-rule/rslvr-rr-0123456789abcdef0`;
    const other = `arn:aws:route53resolver:${HOME}:${ORG.logArchive}:resolver-rule/rslvr-rr-0fedcba9876543210`;
    const holding = await ram.send(
      new CreateResourceShareCommand({
        name: "holding",
        resourceArns: [rule],
        principals: [ORG.member],
        allowExternalPrincipals: false,
      }),
    );
    await ram.send(
      new CreateResourceShareCommand({ name: "unrelated", resourceArns: [other], principals: [ORG.security] }),
    );
    const r = await collectSharesHolding(ram, ORG.logArchive, HOME, rule);
    expect(r).toEqual({
      ok: true,
      value: [
        {
          arn: holding.resourceShare!.resourceShareArn,
          name: "holding",
          status: "ACTIVE",
          allowExternalPrincipals: false,
          principals: [{ id: ORG.member, status: "ASSOCIATED", external: false }],
        },
      ],
    });
    expect(await collectSharesHolding(ram, ORG.logArchive, HOME, CONFIG_ARN(HOME))).toEqual({ ok: true, value: [] });
  });

  it("recorded: the configuration shared with the organization, as RAM answers for the baseline's share; a refused call is the error of that operation", async () => {
    const mock = mockClient(RAMClient);
    try {
      const arn = dnsShareArn(HOME);
      mock
        .on(GetResourceShareAssociationsCommand, { associationType: "RESOURCE", resourceArn: CONFIG_ARN(HOME) })
        .resolves({
          resourceShareAssociations: [
            {
              resourceShareArn: arn,
              resourceShareName: "orgwarden-prod-dns-query-logs",
              associatedEntity: CONFIG_ARN(HOME),
              associationType: "RESOURCE",
              status: "ASSOCIATED",
              external: false,
            },
          ],
        });
      mock.on(GetResourceSharesCommand, { resourceOwner: "SELF", resourceShareArns: [arn] }).resolves({
        resourceShares: [
          {
            resourceShareArn: arn,
            name: "orgwarden-prod-dns-query-logs",
            owningAccountId: ORG.logArchive,
            allowExternalPrincipals: false,
            status: "ACTIVE",
          },
        ],
      });
      mock
        .on(GetResourceShareAssociationsCommand, { associationType: "PRINCIPAL", resourceShareArns: [arn] })
        .resolves({
          resourceShareAssociations: [
            {
              resourceShareArn: arn,
              associatedEntity: ORG_ARN,
              associationType: "PRINCIPAL",
              status: "ASSOCIATED",
              external: false,
            },
            // A principal taken off the share: not in force.
            {
              resourceShareArn: arn,
              associatedEntity: ORG.outsider,
              associationType: "PRINCIPAL",
              status: "DISASSOCIATED",
            },
          ],
        });
      const ram = new RAMClient({ region: HOME });
      const r = await collectSharesHolding(ram, ORG.logArchive, HOME, CONFIG_ARN(HOME));
      expect(r).toEqual({ ok: true, value: [dnsShare(HOME)] });
      const o = cleanObserved();
      o.dnsQueryLogs!.sharesByRegion![HOME] = r;
      expect(inRegion(check.evaluate(o, cleanManifest(), CTX), HOME).status).toBe("PASS");

      mock.reset();
      mock.on(GetResourceShareAssociationsCommand).rejects(
        Object.assign(new Error("not authorized to perform: ram:GetResourceShareAssociations"), {
          name: "AccessDeniedException",
          $metadata: { httpStatusCode: 400 },
        }),
      );
      const denied = await collectSharesHolding(ram, ORG.logArchive, HOME, CONFIG_ARN(HOME));
      expect(denied.ok ? null : [denied.error.operation, denied.error.name]).toEqual([
        "GetResourceShareAssociations",
        "AccessDeniedException",
      ]);
    } finally {
      mock.restore();
    }
  });
});
