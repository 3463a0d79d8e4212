import { describe, expect, it } from "vitest";
import { check, res } from "./helpers";

const UNKNOWN_MSG = (k: string) =>
  `${k} is unknown at preview, so this guardrail cannot verify it; set it from a literal or stack config`;

describe("protect-critical-resources", () => {
  const P = "protect-critical-resources";
  const bucket = (protect: boolean, over: Record<string, unknown> = {}) => [
    res("aws:s3/bucket:Bucket", "archive-bucket", { bucket: "a", forceDestroy: false, ...over }, { protect }),
  ];
  it("passes when protected", async () => expect((await check(P, bucket(true))).messages).toEqual([]));
  it("fails without protect (the resource option)", async () => {
    expect((await check(P, bucket(false))).messages).toEqual([
      "set the resource option protect: true so the resource cannot be deleted or replaced by accident",
    ]);
  });
  it("fails with forceDestroy", async () => {
    expect((await check(P, bucket(true, { forceDestroy: true }))).messages).toEqual([
      "remove forceDestroy: true; it deletes every object (the audit trail) with the bucket",
    ]);
  });
  it("covers keys, trails, accounts (closeOnDeletion) and the V2 bucket alias", async () => {
    const list = [
      res("aws:kms/key:Key", "k", {}),
      res("aws:cloudtrail/trail:Trail", "t", {}),
      res("aws:organizations/account:Account", "acct", { email: "a@b.c", closeOnDeletion: true }, { protect: true }),
      res("aws:s3/bucketV2:BucketV2", "v2", {}),
      res("aws:sns/topic:Topic", "topic", {}),
    ];
    expect((await check(P, list)).violations.map((v) => `${v.resourceName}: ${v.message.split("\n")[1]}`)).toEqual([
      "k: set the resource option protect: true so the resource cannot be deleted or replaced by accident",
      "t: set the resource option protect: true so the resource cannot be deleted or replaced by accident",
      "acct: remove closeOnDeletion: true; deleting the resource would close the AWS account",
      "v2: set the resource option protect: true so the resource cannot be deleted or replaced by accident",
    ]);
  });
  it("unknown forceDestroy is a violation", async () => {
    expect((await check(P, bucket(true), { unknowns: { "archive-bucket": ["forceDestroy"] } })).messages).toEqual([
      UNKNOWN_MSG("forceDestroy"),
    ]);
  });
  it("config: an exempted name changes the verdict", async () => {
    expect((await check(P, bucket(false), { config: { exemptNames: ["archive-bucket"] } })).messages).toEqual([]);
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
