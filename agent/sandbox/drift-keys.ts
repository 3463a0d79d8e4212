/**
 * Drifts of one of the baseline's keys (the log key is "log-key", the others by their manifest
 * handle, e.g. "config-key"), each a change the KMS checks must report on that key alone.
 */
import {
  CreateGrantCommand,
  DisableKeyRotationCommand,
  GetKeyPolicyCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  CreateKeyCommand,
} from "@aws-sdk/client-kms";
import { accountRoot, parseKmsKeyRef, roleArn, type PolicyDocument } from "../../baseline";
import { SANDBOX } from "./layout";
import type { Sandbox } from "./seed";

export type KeyDriftChange =
  /** An Allow of kms:Decrypt to another account's root appended to the key policy. */
  | "policy-statement"
  | "rotation-off"
  | "pending-deletion"
  /** The key's alias re-pointed at a new key of the same account and region. */
  | "alias-elsewhere"
  /** A Decrypt grant to a role outside the organization. */
  | "outsider-grant";

export const KEY_DRIFT_CHANGES: KeyDriftChange[] = [
  "policy-statement",
  "rotation-off",
  "pending-deletion",
  "alias-elsewhere",
  "outsider-grant",
];

function keyOf(sb: Sandbox, name: string): { arn: string; aliasName: string } {
  if (name === "log-key") return { arn: sb.manifest.key.arn, aliasName: SANDBOX.keyAlias };
  const k = sb.manifest.keys?.others.find((o) => o.name === name);
  if (!k)
    throw new Error(
      `sandbox key "${name}" is unknown; allowed: log-key, ${(sb.manifest.keys?.others ?? []).map((o) => o.name).join(", ")}`,
    );
  return k;
}

/** Applies one change to one key; returns the id of what it created (grant id, new key id) when there is one. */
export async function driftKey(sb: Sandbox, name: string, change: KeyDriftChange): Promise<string | undefined> {
  const { arn, aliasName } = keyOf(sb, name);
  const ref = parseKmsKeyRef(arn);
  if (ref?.kind !== "key-arn") throw new Error(`driftKey: ${arn} is not a key ARN`);
  const kms = await sb.session.client(KMSClient, ref.account, ref.region);
  switch (change) {
    case "policy-statement": {
      const doc = JSON.parse(
        (await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }))).Policy!,
      ) as PolicyDocument;
      doc.Statement.push({
        Sid: "DriftDecrypt",
        Effect: "Allow",
        Principal: { AWS: accountRoot(SANDBOX.outsiderAccount) },
        Action: "kms:Decrypt",
        Resource: "*",
      });
      await kms.send(new PutKeyPolicyCommand({ KeyId: arn, PolicyName: "default", Policy: JSON.stringify(doc) }));
      return undefined;
    }
    case "rotation-off":
      await kms.send(new DisableKeyRotationCommand({ KeyId: arn }));
      return undefined;
    case "pending-deletion":
      // moto 5 answers ScheduleKeyDeletion by key ARN with HTTP 500; by key id it works (real KMS takes both).
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: ref.keyId, PendingWindowInDays: 30 }));
      return undefined;
    case "alias-elsewhere": {
      const other = await kms.send(new CreateKeyCommand({ Description: "not the baseline's key" }));
      const id = other.KeyMetadata!.KeyId!;
      await kms.send(new UpdateAliasCommand({ AliasName: aliasName, TargetKeyId: id }));
      return id;
    }
    case "outsider-grant": {
      const g = await kms.send(
        new CreateGrantCommand({
          KeyId: arn,
          GranteePrincipal: roleArn(SANDBOX.outsiderAccount, "outsider"),
          Operations: ["Decrypt"],
          Name: "outsider-decrypt",
        }),
      );
      return g.GrantId;
    }
    default: {
      const never: never = change;
      throw new Error(`unknown key drift ${String(never)}; allowed: ${KEY_DRIFT_CHANGES.join(", ")}`);
    }
  }
}
