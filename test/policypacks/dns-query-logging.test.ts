/** route53-resolver-query-logging: the configuration and share as the baseline stack lays them pass; one change per failing case. */
import { describe, expect, it } from "vitest";
import { baselineStack, DNS_CONFIG_ARN, DNS_LOGS, DNS_SHARE_ARN, mutate } from "./baseline-stack";
import { check, urnOf } from "./helpers";

const P = "route53-resolver-query-logging";
const CONFIG = "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig";
const SHARE = "aws:ram/resourceShare:ResourceShare";
const PRINCIPAL = "aws:ram/principalAssociation:PrincipalAssociation";
const C = "dns-query-logs-config-us-east-1";

describe("route53-resolver-query-logging (stack)", () => {
  it("passes the configuration, its bucket and its organization-only share as the baseline lays them", async () => {
    expect(await check(P, baselineStack())).toMatchObject({ messages: [], notApplicable: [] });
  });

  it("fails a configuration that delivers to a CloudWatch Logs group instead of the DNS query-log bucket", async () => {
    const group = "arn:aws:logs:us-east-1:222222222222:log-group:/dns";
    const c = await check(
      P,
      mutate(baselineStack(), C, (i) => ({ ...i, destinationArn: group })),
    );
    expect(c.messages).toEqual([
      `query logging configuration ${C}: deliver to the DNS query-log bucket (an S3 bucket ARN arn:aws:s3:::<bucket>) instead of ${group}`,
    ]);
    expect(c.violations[0].urn).toBe(urnOf(CONFIG, C));
  });

  it("fails a share that admits external principals, and a principal that is an account instead of the organization", async () => {
    const external = mutate(baselineStack(), "dns-query-logs-share-us-east-1", (i) => ({
      ...i,
      allowExternalPrincipals: true,
    }));
    expect((await check(P, external)).messages).toEqual([
      "resource share dns-query-logs-share-us-east-1: set allowExternalPrincipals to false, so the query logging configuration cannot be shared outside the organization",
    ]);
    const account = mutate(baselineStack(), "dns-query-logs-share-org-us-east-1", (i) => ({
      ...i,
      principal: "999999999999",
    }));
    const c = await check(P, account);
    expect(c.messages).toEqual([
      "dns-query-logs-share-org-us-east-1: share the query logging configuration only with the organization ARN, not 999999999999",
    ]);
    expect(c.violations[0].urn).toBe(urnOf(PRINCIPAL, "dns-query-logs-share-org-us-east-1"));
  });

  it("fails a configuration that is not shared, and a share with no principal", async () => {
    const unshared = mutate(baselineStack(), "dns-query-logs-share-config-us-east-1", () => undefined);
    expect((await check(P, unshared)).messages).toEqual([
      `query logging configuration ${C}: share it with the organization through RAM (an aws.ram.ResourceShare with allowExternalPrincipals false, an aws.ram.ResourceAssociation of the configuration, an aws.ram.PrincipalAssociation of the organization ARN), so member accounts can associate their VPCs`,
    ]);
    const nobody = mutate(baselineStack(), "dns-query-logs-share-org-us-east-1", () => undefined);
    expect((await check(P, nobody)).messages).toEqual([
      "resource share dns-query-logs-share-us-east-1: add an aws.ram.PrincipalAssociation with the organization ARN (arn:aws:organizations::<management account>:organization/<org id>) as principal",
    ]);
  });

  it("fails the DNS bucket's protections through the shared S3 controls (encryption, public access, TLS)", async () => {
    const sseS3 = mutate(baselineStack(), "dns-logs-encryption", (i) => ({
      ...i,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }));
    expect((await check(P, sseS3)).messages).toEqual([
      `bucket "dns-logs-bucket" (${DNS_LOGS}) (DNS query-log bucket of ${C}): use sseAlgorithm "aws:kms" with a customer managed key instead of "AES256"`,
    ]);
  });

  it("says what it could not judge: a destination outside the stack, unknowns at preview resolved through dependencies", async () => {
    const elsewhere = mutate(baselineStack(), C, (i) => ({
      ...i,
      destinationArn: "arn:aws:s3:::someone-elses-bucket",
    }));
    expect(await check(P, elsewhere)).toMatchObject({
      messages: [],
      notApplicable: [
        `query logging configuration ${C} delivers to bucket someone-elses-bucket, which this stack does not hold; its settings are not checked here`,
      ],
    });
    // At a first preview every ARN is unknown: the engine's property dependencies still link the parts.
    const configUrn = urnOf(CONFIG, C);
    const shareUrn = urnOf(SHARE, "dns-query-logs-share-us-east-1");
    const bucketUrn = urnOf("aws:s3/bucket:Bucket", "dns-logs-bucket");
    const deps: Record<string, Record<string, string[]>> = {
      [C]: { destinationArn: [bucketUrn] },
      "dns-query-logs-share-config-us-east-1": { resourceArn: [configUrn], resourceShareArn: [shareUrn] },
      "dns-query-logs-share-org-us-east-1": { resourceShareArn: [shareUrn] },
    };
    const stack = baselineStack().map((r) =>
      deps[r.name]
        ? { ...r, propertyDependencies: deps[r.name], dependencies: [...new Set(Object.values(deps[r.name]).flat())] }
        : r,
    );
    const preview = await check(P, stack, {
      unknowns: {
        [C]: ["destinationArn"],
        "dns-query-logs-share-config-us-east-1": ["resourceArn", "resourceShareArn"],
        "dns-query-logs-share-org-us-east-1": ["principal", "resourceShareArn"],
      },
    });
    expect(preview).toMatchObject({
      messages: [],
      notApplicable: [
        "the principal of dns-query-logs-share-org-us-east-1 is unknown at preview; it is checked at update",
      ],
    });
    expect(DNS_CONFIG_ARN).toMatch(/:resolver-query-log-config\//);
    expect(DNS_SHARE_ARN).toMatch(/:resource-share\//);
  });
});
