/** KMS: a baseline key's policy, grants, rotation, state and alias, read in the key's own account and region. */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  paginateListAliases,
  paginateListGrants,
  KMSClient,
} from "@aws-sdk/client-kms";
import { parseKmsKeyRef, type AuditManifest } from "../../baseline";
import type { ClientFactory } from "../aws/clients";
import { AuditConfigError } from "../options";
import { failed, type CollectError, type ObservedAlias, type ObservedGrant, type ObservedKey } from "../model";
import { attempt, drain, iso, type CallScope } from "./common";
import { parsePolicy } from "./organizations";

export async function collectKey(
  kms: KMSClient,
  account: string,
  region: string,
  keyArn: string,
  /** The alias the manifest names for the key; not read when absent. */
  aliasName?: string,
): Promise<ObservedKey> {
  const scope = (operation: string): CallScope => ({ service: "kms", operation, account, region });
  const KeyId = keyArn;
  const [policy, grants, rotationEnabled, metadata] = await Promise.all([
    attempt(scope("GetKeyPolicy"), async () =>
      parsePolicy(
        (await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: "default" }))).Policy,
        `key policy of ${keyArn}`,
      ),
    ),
    attempt(scope("ListGrants"), async () =>
      (await drain(paginateListGrants({ client: kms }, { KeyId }), (p) => p.Grants)).map((g): ObservedGrant => ({
        grantId: g.GrantId ?? "",
        name: g.Name || undefined,
        granteePrincipal: g.GranteePrincipal ?? "",
        retiringPrincipal: g.RetiringPrincipal || undefined,
        operations: [...(g.Operations ?? [])].sort(),
      })),
    ),
    attempt(
      scope("GetKeyRotationStatus"),
      async () => (await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).KeyRotationEnabled ?? false,
    ),
    attempt(scope("DescribeKey"), async () => {
      const m = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
      if (!m) throw Object.assign(new Error("DescribeKey returned no metadata"), { name: "MalformedResponse" });
      return { keyState: m.KeyState ?? "Unknown", deletionDate: iso(m.DeletionDate), keySpec: m.KeySpec };
    }),
  ]);
  if (aliasName === undefined) return { keyArn, policy, grants, rotationEnabled, metadata };
  // Listed whole, not filtered by KeyId: an alias re-pointed at another key must still be found, and where it points told.
  const alias = await attempt(scope("ListAliases"), async () => {
    const all = await drain(paginateListAliases({ client: kms }, {}), (p) => p.Aliases);
    const a = all.find((x) => x.AliasName === aliasName);
    return a ? ({ aliasName, ...(a.TargetKeyId ? { targetKeyId: a.TargetKeyId } : {}) } satisfies ObservedAlias) : null;
  });
  return { keyArn, policy, grants, rotationEnabled, metadata, alias };
}

/** What a key is when its account could not be entered or its task ran out of time. */
export function unreadableKey(keyArn: string, e: CollectError, aliasName?: string): ObservedKey {
  return {
    keyArn,
    policy: failed(e),
    grants: failed(e),
    rotationEnabled: failed(e),
    metadata: failed(e),
    ...(aliasName !== undefined ? { alias: failed(e) } : {}),
  };
}

type BaselineKeyIntent = NonNullable<AuditManifest["keys"]>["others"][number];

/** A collection task (agent/collectors/index.ts) for one of the manifest's `keys.others`: read where its ARN says it lives. */
export function baselineKeyTask(clients: ClientFactory, k: BaselineKeyIntent) {
  const ref = parseKmsKeyRef(k.arn);
  if (ref?.kind !== "key-arn") throw new AuditConfigError(`keys.others (${k.name}): "${k.arn}" is not a KMS key ARN`);
  const { account, region } = ref;
  return {
    account,
    region,
    service: "kms",
    run: () => collectKey(clients.get(KMSClient, account, region), account, region, k.arn, k.aliasName),
    unreadable: (e: CollectError) => unreadableKey(k.arn, e, k.aliasName),
  };
}
