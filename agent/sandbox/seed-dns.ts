/**
 * Route 53 Resolver query logging as infra/network/dns-query-logs.ts lays it: the DNS query-log
 * bucket with its own key (log-archive account, home region; hardened and TLS-only here, its
 * lifecycle from the manifest's logBuckets entry in seed-log-buckets.ts, its access logging with
 * the other sources' in seed-logging.ts seedBuckets, which therefore runs after this) and, in every
 * governed region, the query logging configuration delivering to it, tagged
 * orgwarden:protected=true. The RAM share is not laid: moto's RAM refuses resolver-query-log-config
 * resources ("You cannot share the selected resource type"), so the scenarios answer the
 * configuration's ShareStatus from a recorded response.
 */
import { finishKey } from "./seed-keys";
import { EnableAWSServiceAccessCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { EnableSharingWithAwsOrganizationCommand, RAMClient } from "@aws-sdk/client-ram";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateResolverQueryLogConfigCommand, Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import { bucketArn, PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../../baseline";
import {
  bucketNames,
  dnsQueryLogConfigName,
  dnsQueryLogKeyPolicyDocument,
  dnsQueryLogPolicyDocument,
  SANDBOX,
  type SandboxAccounts,
} from "./layout";
import { hardenBucket } from "./seed-logging";
import { HARDENED, layBucket } from "./inventory";
import type { SandboxSession } from "./session";

export interface DnsSeedContext {
  session: SandboxSession;
  stack: string;
  home: string;
  governed: string[];
  orgId: string;
  accounts: SandboxAccounts;
  /** Regions left without a configuration (the "dns-query-log-config-missing" drift). */
  skipRegions?: string[];
}

export async function seedDnsQueryLogs(c: DnsSeedContext): Promise<{ dnsQueryLogKeyArn: string }> {
  const la = c.accounts.logArchive;
  const ids = { stack: c.stack, homeRegion: c.home, orgId: c.orgId, accounts: c.accounts, governedRegions: c.governed };
  const kms = await c.session.client(KMSClient, la, c.home);
  const key = await kms.send(
    new CreateKeyCommand({
      Description: "orgwarden: encrypts Route 53 Resolver query logs in the DNS query-log bucket",
      Policy: JSON.stringify(dnsQueryLogKeyPolicyDocument(ids)),
    }),
  );
  const dnsQueryLogKeyArn = key.KeyMetadata!.Arn!;
  c.session.inventory.lay("aws:kms/key:Key", "dns-query-logs-key");
  await finishKey(kms, key.KeyMetadata!.KeyId!, SANDBOX.dnsQueryLogKeyAlias(c.stack));
  c.session.inventory.lay("aws:kms/alias:Alias", "dns-query-logs-key-alias");
  const s3 = await c.session.client(S3Client, la, c.home);
  const Bucket = bucketNames(c.stack, c.accounts.management).dnsQueryLogs;
  await s3.send(new CreateBucketCommand({ Bucket }));
  await hardenBucket(s3, Bucket, { algorithm: "aws:kms", keyArn: dnsQueryLogKeyArn });
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(dnsQueryLogPolicyDocument(ids)) }));
  layBucket(c.session.inventory, "dns-query-log", ...HARDENED, "policy");
  // aws.ram.SharingWithOrganization in the management account: RAM's trusted access to the organization.
  // moto's EnableSharingWithAwsOrganization answers true but records nothing, so the trusted access AWS
  // turns on with it is enabled as Organizations' own EnableAWSServiceAccess.
  await (
    await c.session.client(RAMClient, c.accounts.management, c.home)
  ).send(new EnableSharingWithAwsOrganizationCommand({}));
  await (
    await c.session.client(OrganizationsClient, c.accounts.management, c.home)
  ).send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "ram.amazonaws.com" }));
  c.session.inventory.lay("aws:ram/sharingWithOrganization:SharingWithOrganization", "dns-query-logs-ram-org-sharing");
  for (const region of c.governed) {
    if (c.skipRegions?.includes(region)) continue;
    const r53 = await c.session.client(Route53ResolverClient, la, region);
    await r53.send(
      new CreateResolverQueryLogConfigCommand({
        Name: dnsQueryLogConfigName(c.stack),
        DestinationArn: bucketArn(Bucket),
        CreatorRequestId: `orgwarden-${c.stack}-${region}`,
        Tags: [{ Key: PROTECT_TAG_KEY, Value: PROTECT_TAG_VALUE }],
      }),
    );
    c.session.inventory.lay("aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig", "dns-query-logs-config-*");
  }
  return { dnsQueryLogKeyArn };
}
