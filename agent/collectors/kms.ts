/** KMS (security account, home region): the archive key's policy, grants, rotation and state. */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  paginateListGrants,
  type KMSClient,
} from "@aws-sdk/client-kms";
import type { ObservedGrant, ObservedKey } from "../model";
import { attempt, drain, iso, type CallScope } from "./common";
import { parsePolicy } from "./organizations";

export async function collectKey(
  kms: KMSClient,
  account: string,
  region: string,
  keyArn: string,
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
  return { keyArn, policy, grants, rotationEnabled, metadata };
}
