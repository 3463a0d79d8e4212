/** The audit manifest's parameters, laid as infra/audit-manifest.ts lays them: head and parts, String, Advanced, digest tag on each. */
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import {
  encodeManifestParameters,
  MANIFEST_DIGEST_TAG,
  manifestData,
  manifestDigest,
  manifestParameterName,
  manifestParameterNames,
  type AuditManifest,
} from "../../baseline";
import type { SandboxSession } from "./session";

export async function seedManifestParameter(session: SandboxSession, manifest: AuditManifest): Promise<string> {
  const name = manifestParameterName(manifest.stack);
  const names = manifestParameterNames(name);
  const values = encodeManifestParameters(manifest.schemaVersion, manifestData(manifest));
  const ssm = await session.client(SSMClient, manifest.organization.securityAccountId, manifest.regions.home);
  for (const [i, n] of names.entries())
    await ssm.send(
      new PutParameterCommand({
        Name: n,
        Description:
          i === 0
            ? "orgwarden audit manifest: the intended state the drift auditor checks against"
            : `orgwarden audit manifest, part ${i + 1} of ${names.length} (the head ${name} says how to join them)`,
        Value: values[i],
        Type: "String",
        Tier: "Advanced",
        DataType: "text",
        Tags: [{ Key: MANIFEST_DIGEST_TAG, Value: manifestDigest(manifest) }],
      }),
    );
  session.inventory.lay("aws:ssm/parameter:Parameter", "audit-manifest-parameter");
  session.inventory.lay("aws:ssm/parameter:Parameter", "audit-manifest-part-*");
  return name;
}
