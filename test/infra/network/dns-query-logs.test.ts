/** Route 53 Resolver query logging, as both example stacks plan it (Pulumi mock runtime), with exact inputs. */
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../../harness/run-program";
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../../../baseline";
import {
  dnsAssociationTemplateResources,
  dnsQueryLogBucketPolicy,
  dnsQueryLogKeyPolicy,
} from "../../../baseline/network";
import { EXPECTED } from "../expected";
import { doc, one, ofType, providerUrn, runStack, STACKS } from "../stack";

const S3 = (t: string) => `aws:s3/${t[0].toLowerCase()}${t.slice(1)}:${t}`;
const PROTECT = { [PROTECT_TAG_KEY]: PROTECT_TAG_VALUE };

describe.each(STACKS)("DnsQueryLogs (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  const name = `orgwarden-${stack}-dns-query-logs`;
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("lays exactly these resources, all in the log-archive account but RAM's organization sharing", () => {
    const parts = run.resources.filter((r) => r.name.startsWith("dns-query-logs-") && r.custom);
    const perRegion = x.governedRegions.flatMap((r) => [
      `dns-query-logs-config-${r}`,
      `dns-query-logs-share-${r}`,
      `dns-query-logs-share-config-${r}`,
      `dns-query-logs-share-org-${r}`,
    ]);
    expect(parts.map((r) => r.name).sort()).toEqual(
      [
        "dns-query-logs-bucket",
        "dns-query-logs-encryption",
        "dns-query-logs-key",
        "dns-query-logs-key-alias",
        "dns-query-logs-lifecycle",
        "dns-query-logs-logging",
        "dns-query-logs-ownership",
        "dns-query-logs-policy",
        "dns-query-logs-public-access-block",
        "dns-query-logs-ram-org-sharing",
        "dns-query-logs-versioning",
        ...perRegion,
      ].sort(),
    );
    for (const r of parts)
      expect(r.provider, r.name).toBe(
        providerUrn(run, r.name === "dns-query-logs-ram-org-sharing" ? "management" : "log-archive"),
      );
    expect(
      one(run, "aws:ram/sharingWithOrganization:SharingWithOrganization", "dns-query-logs-ram-org-sharing").inputs,
    ).toEqual({});
  });

  it("a protected, unlocked bucket with its own protected key, expiring at network.dnsQueryLogs.retentionDays", () => {
    const b = one(run, S3("Bucket"), "dns-query-logs-bucket");
    expect(b.inputs).toEqual({ bucket: x.dnsQueryLogs, forceDestroy: false });
    expect(b.protect).toBe(true);
    expect(run.outputs.dnsQueryLogBucketName).toBe(x.dnsQueryLogs);
    const key = one(run, "aws:kms/key:Key", "dns-query-logs-key");
    expect(key.protect).toBe(true);
    const { policy, ...rest } = key.inputs;
    expect(rest).toEqual({
      description: "orgwarden: encrypts Route 53 Resolver query logs in the DNS query-log bucket",
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: PROTECT,
    });
    expect(doc(policy)).toEqual(
      dnsQueryLogKeyPolicy({
        logArchiveAccountId: x.logArchiveId,
        bucketName: x.dnsQueryLogs,
        region: x.home,
        securityAccountId: x.securityId,
        readerRoleNames: x.auditors,
      }),
    );
    expect(one(run, "aws:kms/alias:Alias", "dns-query-logs-key-alias").inputs).toEqual({
      name: `alias/orgwarden-${stack}-dns-logs`,
      targetKeyId: key.id,
    });
    expect(one(run, S3("BucketServerSideEncryptionConfiguration"), "dns-query-logs-encryption").inputs).toEqual({
      bucket: x.dnsQueryLogs,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn },
          bucketKeyEnabled: false,
        },
      ],
    });
    expect(run.outputs.dnsQueryLogKeyArn).toBe(key.outputs.arn);
    expect(one(run, S3("BucketLifecycleConfiguration"), "dns-query-logs-lifecycle").inputs).toEqual({
      bucket: x.dnsQueryLogs,
      rules: [
        {
          id: "expire-dns-query-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: x.dnsQueryLogRetentionDays },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    });
    expect(one(run, S3("BucketPublicAccessBlock"), "dns-query-logs-public-access-block").inputs).toEqual({
      bucket: x.dnsQueryLogs,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(ofType(run, S3("BucketObjectLockConfiguration")).map((r) => r.name)).toEqual(["archive-object-lock"]);
  });

  it("access-logs into the access-log bucket, which admits it", () => {
    const l = one(run, S3("BucketLogging"), "dns-query-logs-logging");
    expect(l.inputs).toEqual({
      bucket: x.dnsQueryLogs,
      targetBucket: x.accessLogs,
      targetPrefix: `${x.dnsQueryLogs}/`,
    });
    expect(l.dependencies).toContain(one(run, S3("BucketPolicy"), "access-logs-policy").urn);
    expect(JSON.stringify(doc(one(run, S3("BucketPolicy"), "access-logs-policy").inputs.policy))).toContain(
      `${x.dnsQueryLogs}/`,
    );
  });

  it("applies the baseline bucket policy: the log-archive account's delivery in the governed regions only", () => {
    const p = one(run, S3("BucketPolicy"), "dns-query-logs-policy");
    expect(p.inputs.bucket).toBe(x.dnsQueryLogs);
    expect(doc(p.inputs.policy)).toEqual(
      dnsQueryLogBucketPolicy({
        bucketName: x.dnsQueryLogs,
        orgId: x.orgId,
        logArchiveAccountId: x.logArchiveId,
        regions: x.governedRegions,
        securityAccountId: x.securityId,
        readerRoleNames: x.auditors,
      }),
    );
  });

  it("in every governed region: a protected, tagged configuration to the bucket, shared with the organization only", () => {
    const policy = one(run, S3("BucketPolicy"), "dns-query-logs-policy").urn;
    const orgSharing = one(
      run,
      "aws:ram/sharingWithOrganization:SharingWithOrganization",
      "dns-query-logs-ram-org-sharing",
    ).urn;
    expect(
      ofType(run, "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig")
        .map((r) => r.name)
        .sort(),
    ).toEqual(x.governedRegions.map((r) => `dns-query-logs-config-${r}`).sort());
    for (const region of x.governedRegions) {
      const c = one(
        run,
        "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig",
        `dns-query-logs-config-${region}`,
      );
      expect(c.inputs).toEqual({ name, destinationArn: `arn:aws:s3:::${x.dnsQueryLogs}`, region, tags: PROTECT });
      expect(c.protect).toBe(true);
      expect(c.dependencies).toContain(policy);
      const share = one(run, "aws:ram/resourceShare:ResourceShare", `dns-query-logs-share-${region}`);
      expect(share.inputs).toEqual({ name, allowExternalPrincipals: false, region, tags: PROTECT });
      expect(
        one(run, "aws:ram/resourceAssociation:ResourceAssociation", `dns-query-logs-share-config-${region}`).inputs,
      ).toEqual({
        resourceArn: c.outputs.arn,
        resourceShareArn: share.outputs.arn,
        region,
      });
      const principal = one(
        run,
        "aws:ram/principalAssociation:PrincipalAssociation",
        `dns-query-logs-share-org-${region}`,
      );
      expect(principal.inputs).toEqual({
        principal: `arn:aws:organizations::${x.mgmt}:organization/${x.orgId}`,
        resourceShareArn: share.outputs.arn,
        region,
      });
      expect(principal.dependencies).toContain(orgSharing);
    }
  });

  it("the member template (StackSet and direct stacks) associates every VPC with this configuration, after its shares", () => {
    const set = one(run, "aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset");
    const tpl = JSON.parse(set.inputs.templateBody);
    const expected = dnsAssociationTemplateResources("orgwarden", {
      configName: name,
      logArchiveAccountId: x.logArchiveId,
    });
    for (const [k, v] of Object.entries(expected)) expect(tpl.Resources[k], k).toEqual(v);
    expect(tpl.Resources.DnsAssociationDocument.Properties.Content.mainSteps[0].inputs.InputPayload).toEqual({
      ConfigName: name,
      OwnerAccountId: x.logArchiveId,
    });
    const direct = ofType(run, "aws:cloudformation/stack:Stack");
    expect(direct.length).toBeGreaterThan(0);
    for (const s of direct)
      expect(JSON.parse(s.inputs.templateBody).Resources.DnsAssociationDailySweep, s.name).toEqual(
        expected.DnsAssociationDailySweep,
      );
    // The first sweep runs when the association is created: the shares must exist by then.
    // (a dependency on the component is a dependency on each of its children)
    const shared = x.governedRegions.flatMap((r) => [
      one(run, "aws:ram/resourceAssociation:ResourceAssociation", `dns-query-logs-share-config-${r}`).urn,
      one(run, "aws:ram/principalAssociation:PrincipalAssociation", `dns-query-logs-share-org-${r}`).urn,
    ]);
    // The other regions' direct stacks come after the home region's (as for every baseline resource).
    const homeStacks = direct.filter((r) => r.name.endsWith(x.home));
    expect(homeStacks.length).toBe(1);
    for (const s of [set, ...homeStacks]) expect(s.dependencies, s.name).toEqual(expect.arrayContaining(shared));
  });
});

describe("network.dnsQueryLogs.enabled = false", () => {
  it("plans no DNS query-log resource or output, and the access-log bucket admits no DNS source", async () => {
    const run = await runStack("dev", { "network.dnsQueryLogs.enabled": "false" });
    expect(run.resources.filter((r) => r.name.startsWith("dns-query-logs-"))).toEqual([]);
    const tpl = JSON.parse(
      one(run, "aws:cloudformation/stackSet:StackSet", "detection-member-baseline-stackset").inputs.templateBody,
    );
    expect(Object.keys(tpl.Resources).filter((k) => /DnsAssociation/.test(k))).toEqual([]);
    expect(run.outputs.dnsQueryLogBucketName).toBeUndefined();
    expect(JSON.stringify(doc(one(run, S3("BucketPolicy"), "access-logs-policy").inputs.policy))).not.toContain(
      "dns-logs",
    );
  });
});
