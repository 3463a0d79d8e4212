/** The audit manifest parameter, laid as infra/audit-manifest.ts lays it: encoded value, String, Advanced, digest tag. */
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import {
  encodeManifestParameter,
  MANIFEST_DIGEST_TAG,
  manifestDigest,
  manifestParameterName,
  type AuditManifest,
} from "../../baseline";
import type { SandboxSession } from "./session";

export async function seedManifestParameter(session: SandboxSession, manifest: AuditManifest): Promise<string> {
  const name = manifestParameterName(manifest.stack);
  const ssm = await session.client(SSMClient, manifest.organization.securityAccountId, manifest.regions.home);
  await ssm.send(
    new PutParameterCommand({
      Name: name,
      Description: "orgwarden audit manifest: the intended state the drift auditor checks against",
      Value: encodeManifestParameter(manifest),
      Type: "String",
      Tier: "Advanced",
      DataType: "text",
      Tags: [{ Key: MANIFEST_DIGEST_TAG, Value: manifestDigest(manifest) }],
    }),
  );
  session.inventory.lay("aws:ssm/parameter:Parameter", "audit-manifest-parameter");
  return name;
}
