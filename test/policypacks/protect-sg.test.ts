import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { check, res, Res } from "./helpers";

const PROTECTED_URNS = JSON.parse(
  readFileSync(join(__dirname, "../infra/fixtures/protected-urns.json"), "utf8"),
) as Record<string, string[]>;

const UNKNOWN_MSG = (k: string) =>
  `${k} is unknown at preview, so this guardrail cannot verify it; set it from a literal or stack config`;

/** The resource as a child of a baseline component, with the URN the engine gives it. */
function inComponent(r: Res, component: string): Res {
  return {
    ...r,
    urn: `urn:pulumi:test::fixture::${component}$${r.type}::${r.name}`,
    parent: `urn:pulumi:test::fixture::${component}::c`,
  };
}

describe("protect-critical-resources", () => {
  const P = "protect-critical-resources";
  const ARCHIVE = "orgwarden:s3:ArchiveBucket";
  const bucket = (protect: boolean, over: Record<string, unknown> = {}) => [
    inComponent(
      res("aws:s3/bucket:Bucket", "archive-bucket", { bucket: "a", forceDestroy: false, ...over }, { protect }),
      ARCHIVE,
    ),
  ];
  const UNPROTECTED = "set the resource option protect: true so the resource cannot be deleted or replaced by accident";
  it("passes when protected", async () => expect((await check(P, bucket(true))).messages).toEqual([]));
  it("fails without protect (the resource option)", async () => {
    expect((await check(P, bucket(false))).messages).toEqual([UNPROTECTED]);
  });
  it("fails with forceDestroy", async () => {
    expect((await check(P, bucket(true, { forceDestroy: true }))).messages).toEqual([
      "remove forceDestroy: true; it deletes every object (the audit trail) with the bucket",
    ]);
  });
  it("covers the baseline's keys, trail, accounts (closeOnDeletion), organization, OUs, the V2 bucket alias and the trail's log group", async () => {
    const list = [
      inComponent(res("aws:kms/key:Key", "k", {}), "orgwarden:kms:LogKey"),
      inComponent(res("aws:cloudtrail/trail:Trail", "t", {}), "orgwarden:cloudtrail:OrgTrail"),
      inComponent(
        res("aws:organizations/account:Account", "acct", { email: "a@b.c", closeOnDeletion: true }, { protect: true }),
        "orgwarden:organization:Organization",
      ),
      inComponent(res("aws:organizations/organization:Organization", "org", {}), "orgwarden:organization:Organization"),
      inComponent(
        res("aws:organizations/organizationalUnit:OrganizationalUnit", "ou", {}),
        "orgwarden:organization:Organization",
      ),
      inComponent(res("aws:s3/bucketV2:BucketV2", "v2", {}), ARCHIVE),
      inComponent(res("aws:cloudwatch/logGroup:LogGroup", "trail-logs", {}), "orgwarden:cloudtrail:OrgTrail"),
      // Not critical: a topic, and a log group of another component (the audit agent's own logs).
      inComponent(res("aws:sns/topic:Topic", "topic", {}), "orgwarden:detection:AlertTopic"),
      inComponent(res("aws:cloudwatch/logGroup:LogGroup", "agent-logs", {}), "orgwarden:audit:AuditAgent"),
    ];
    expect((await check(P, list)).violations.map((v) => `${v.resourceName}: ${v.message.split("\n")[1]}`)).toEqual([
      `k: ${UNPROTECTED}`,
      `t: ${UNPROTECTED}`,
      "acct: remove closeOnDeletion: true; deleting the resource would close the AWS account",
      `org: ${UNPROTECTED}`,
      `ou: ${UNPROTECTED}`,
      `v2: ${UNPROTECTED}`,
      `trail-logs: ${UNPROTECTED}`,
    ]);
  });
  it("judges only the baseline's resources: a website bucket of the same stack, outside the components, is not flagged", async () => {
    const site = res("aws:s3/bucket:Bucket", "website", { bucket: "www.example.com", forceDestroy: true });
    const r = await check(P, [...bucket(false), site]);
    expect(r.violations.map((v) => v.resourceName)).toEqual(["archive-bucket"]);
    expect(r.notApplicable).toEqual([]);
  });
  it.each(["dev", "prod"])(
    "%s: every protected URN the infra tests record (test/infra/fixtures/protected-urns.json) is flagged once unprotected; the stack's website bucket is not",
    async (stack) => {
      const urns = PROTECTED_URNS[stack];
      const fromUrn = (urn: string): Res => {
        const chain = urn.split("::")[2].split("$");
        return { ...res(chain[chain.length - 1], urn.split("::")[3], {}), urn };
      };
      const website = fromUrn(`urn:pulumi:${stack}::orgwarden::aws:s3/bucket:Bucket::website`);
      const r = await check(P, [...urns.map(fromUrn), website], { stack });
      expect(r.violations.map((v) => v.urn)).toEqual(urns);
      expect(new Set(r.messages)).toEqual(new Set([UNPROTECTED]));
    },
  );
  it("unknown forceDestroy is a violation", async () => {
    expect((await check(P, bucket(true), { unknowns: { "archive-bucket": ["forceDestroy"] } })).messages).toEqual([
      UNKNOWN_MSG("forceDestroy"),
    ]);
  });
  it("config: types choose what is critical (a type alone, or <component>$<type>)", async () => {
    expect((await check(P, bucket(false), { config: { types: ["aws:kms/key:Key"] } })).messages).toEqual([]);
    const topic = [inComponent(res("aws:sns/topic:Topic", "alerts", {}), "orgwarden:detection:AlertTopic")];
    expect(
      (await check(P, topic, { config: { types: ["orgwarden:detection:AlertTopic$aws:sns/topic:Topic"] } })).messages,
    ).toEqual([UNPROTECTED]);
    expect(
      (await check(P, topic, { config: { types: ["orgwarden:audit:AuditAgent$aws:sns/topic:Topic"] } })).messages,
    ).toEqual([]);
  });
  it("the old exemptNames key is gone: exemptions (with reason and expiry) replace it", async () => {
    await expect(check(P, bucket(false), { config: { exemptNames: ["archive-bucket"] } })).rejects.toThrow(
      "protect-critical-resources.exemptNames is not a config property of this policy (allowed: types)",
    );
  });
});

describe("ec2-no-admin-ports-open", () => {
  const P = "ec2-no-admin-ports-open";
  const sg = (ingress: unknown[]) => [res("aws:ec2/securityGroup:SecurityGroup", "web", { ingress })];
  const https = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] };
  it("passes HTTPS to the world and SSH from a known range", async () => {
    expect(
      (await check(P, sg([https, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }]))).messages,
    ).toEqual([]);
  });
  it("fails on SSH to 0.0.0.0/0", async () => {
    expect(
      (await check(P, sg([https, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]))).messages,
    ).toEqual([
      "remove the ingress that opens port 22 to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager",
    ]);
  });
  it("fails on all traffic from ::/0, and on standalone rules", async () => {
    expect(
      (await check(P, sg([{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }]))).messages,
    ).toEqual([
      "remove the ingress that opens port 22 and 3389 to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager",
    ]);
    const rule = [
      res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "rdp", {
        securityGroupId: "sg-1",
        ipProtocol: "tcp",
        fromPort: 3389,
        toPort: 3389,
        cidrIpv4: "0.0.0.0/0",
      }),
    ];
    expect((await check(P, rule)).messages).toEqual([
      "remove the ingress that opens port 3389 to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager",
    ]);
    const legacy = [
      res("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh", {
        type: "ingress",
        securityGroupId: "sg-1",
        protocol: "6",
        fromPort: 0,
        toPort: 1024,
        cidrBlocks: ["0.0.0.0/0"],
      }),
    ];
    expect((await check(P, legacy)).messages).toEqual([
      "remove the ingress that opens port 22 to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager",
    ]);
  });
  const ssh = { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] };
  const cannotProve = (what: string, verb = "are") =>
    `cannot prove that port 22 is not open to the world at preview: the rule's ${what} ${verb} unknown; set them from literals or stack config`;
  it("an unknown CIDR on an admin port is a violation; on a port that cannot reach 22 or 3389 it is not", async () => {
    expect((await check(P, sg([https, ssh]), { unknowns: { web: ["ingress.1.cidrBlocks.0"] } })).messages).toEqual([
      cannotProve("CIDR blocks"),
    ]);
    expect((await check(P, sg([https, ssh]), { unknowns: { web: ["ingress.0.cidrBlocks.0"] } })).messages).toEqual([]);
  });
  it("a wholly unknown cidrBlocks or ipv6CidrBlocks list is a violation on an admin port", async () => {
    expect((await check(P, sg([ssh]), { unknowns: { web: ["ingress.0.cidrBlocks"] } })).messages).toEqual([
      cannotProve("CIDR blocks"),
    ]);
    expect(
      (
        await check(P, sg([{ ...ssh, ipv6CidrBlocks: ["fd00::/8"] }]), {
          unknowns: { web: ["ingress.0.ipv6CidrBlocks"] },
        })
      ).messages,
    ).toEqual([cannotProve("CIDR blocks")]);
    const rule = [
      res("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh", {
        type: "ingress",
        securityGroupId: "sg-1",
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrBlocks: ["10.0.0.0/8"],
      }),
    ];
    expect((await check(P, rule, { unknowns: { ssh: ["cidrBlocks"] } })).messages).toEqual([
      cannotProve("CIDR blocks"),
    ]);
  });
  it("an unknown protocol or port is a violation", async () => {
    expect((await check(P, sg([https]), { unknowns: { web: ["ingress.0.fromPort"] } })).messages).toEqual([
      UNKNOWN_MSG("an ingress rule's protocol, ports or CIDR"),
    ]);
  });
  it("a SecurityGroupRule of unknown type is judged as an ingress", async () => {
    const rule = (cidr: string) => [
      res("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh", {
        type: "ingress",
        securityGroupId: "sg-1",
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrBlocks: [cidr],
      }),
    ];
    expect((await check(P, rule("0.0.0.0/0"), { unknowns: { ssh: ["type"] } })).messages).toEqual([
      cannotProve("type (ingress or egress)", "is"),
    ]);
    expect((await check(P, rule("10.0.0.0/8"), { unknowns: { ssh: ["type"] } })).messages).toEqual([]);
    expect((await check(P, rule("0.0.0.0/0"), { unknowns: { ssh: ["type", "cidrBlocks"] } })).messages).toEqual([
      cannotProve("CIDR blocks and type (ingress or egress)"),
    ]);
  });
  it("config: other ports change the verdict", async () => {
    expect((await check(P, sg([https]), { config: { ports: [443] } })).messages).toEqual([
      "remove the ingress that opens port 443 to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager",
    ]);
    await expect(check(P, sg([https]), { config: { ports: [70000] } })).rejects.toThrow(
      "ec2-no-admin-ports-open.ports[0] must be <= 65535 (got 70000)",
    );
  });
});
