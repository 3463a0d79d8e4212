import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../baseline";

export interface CustomerKeyArgs {
  /** Resource names of the key and of its alias (each component has always named them its own way; a rename would replace a protected key). */
  names: { key: string; alias: string };
  description: pulumi.Input<string>;
  /** The key policy, minified JSON. */
  policy: pulumi.Input<string>;
  aliasName: pulumi.Input<string>;
  /** Pending-deletion window. Default 30 (the maximum). */
  deletionWindowInDays?: number;
  /**
   * State keyUsage ENCRYPT_DECRYPT and customerMasterKeySpec SYMMETRIC_DEFAULT (AWS's defaults)
   * and the protect tag the logging SCP's key statement keys off. False only for the alert topics'
   * keys, which never carried them: adding them now would be an update of every deployed stack.
   */
  symmetricAndTagged: boolean;
}

/**
 * A customer-managed KMS key with rotation on and its alias, as children of `parent`. The key is
 * protected: deleting or disabling it makes what it encrypted unreadable.
 */
export function customerKey(
  parent: pulumi.Resource,
  args: CustomerKeyArgs,
): { key: aws.kms.Key; alias: aws.kms.Alias } {
  const key = new aws.kms.Key(
    args.names.key,
    {
      description: args.description,
      ...(args.symmetricAndTagged ? { keyUsage: "ENCRYPT_DECRYPT", customerMasterKeySpec: "SYMMETRIC_DEFAULT" } : {}),
      enableKeyRotation: true,
      deletionWindowInDays: args.deletionWindowInDays ?? 30,
      policy: args.policy,
      ...(args.symmetricAndTagged ? { tags: { [PROTECT_TAG_KEY]: PROTECT_TAG_VALUE } } : {}),
    },
    { parent, protect: true },
  );
  const alias = new aws.kms.Alias(args.names.alias, { name: args.aliasName, targetKeyId: key.keyId }, { parent });
  return { key, alias };
}
