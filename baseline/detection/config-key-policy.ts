import { ACCOUNT_ID, accountRoot, bucketArn } from "../arns";
import { KEY_ADMIN_ACTIONS } from "../key-policy";
import { policy, PolicyDocument } from "../policy-types";
import { CONFIG_SERVICE } from "./documents";

/**
 * The encryption context S3 sends with every SSE-KMS call: the object's ARN (the bucket's ARN once
 * S3 Bucket Keys are on), https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
export const S3_CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn";

/** What AWS Config needs on the key of an SSE-KMS delivery bucket (AWS Config guide, "Permissions for the KMS Key"). */
export const CONFIG_DELIVERY_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

export interface ConfigKeyPolicyInput {
  /** The log-archive account: owns the key and the Config bucket (a bucket's default key must be its own region's). */
  accountId: string;
  configBucketName: string;
}

/**
 * Key policy of the Config bucket's key (log-archive account, home region).
 *
 * Config's recorder runs with the service-linked role, which has no KMS permission; AWS Config
 * then delivers as its service principal, so `config.amazonaws.com` is the principal S3 calls KMS
 * for ("Permissions for the KMS Key for the AWS Config Delivery Channel",
 * https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html).
 *
 * Conditions: only keys AWS documents for this call path. That page documents aws:SourceAccount
 * ("the ID of the account for which AWS Config will deliver"), but every account of the organization
 * delivers here, new ones included, so it would have to list every member; and no AWS page says
 * aws:SourceOrgID reaches KMS when S3 calls it on Config's behalf (if it did not, every member's
 * delivery would fail). So the statement is scoped by what S3 documents it sends, the encryption
 * context aws:s3:arn = the object ARN (S3 Bucket Keys are off): only objects under
 * AWSLogs/<account>/Config/ of this bucket. S3 calls KMS only for a PutObject it has already
 * authorized, and the Config bucket policy admits only Config of this organization, each account
 * under its own prefix: that policy, not this key, decides whose deliveries land (docs/detection.md).
 *
 * Administration carries no cryptographic action and no CreateGrant, and there is no
 * "enable IAM policies" statement, so no identity policy of the account can hand anyone Decrypt:
 * nobody reads the delivered files, and the audit agent does not need to.
 */
export function configKeyPolicy(i: ConfigKeyPolicyInput): PolicyDocument {
  if (!ACCOUNT_ID.test(i.accountId))
    throw new Error(`configKeyPolicy: accountId must be a 12-digit account id, got "${i.accountId}"`);
  if (i.configBucketName === "") throw new Error("configKeyPolicy: configBucketName must not be empty");
  return policy(
    [
      {
        Sid: "KeyAdministration",
        Effect: "Allow",
        Principal: { AWS: accountRoot(i.accountId) },
        Action: KEY_ADMIN_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "AWSConfigDelivery",
        Effect: "Allow",
        Principal: { Service: CONFIG_SERVICE },
        Action: CONFIG_DELIVERY_KEY_ACTIONS,
        Resource: "*",
        Condition: { StringLike: { [S3_CONTEXT_KEY]: `${bucketArn(i.configBucketName)}/AWSLogs/*/Config/*` } },
      },
    ],
    "orgwarden-config-key",
  );
}
