import { ACCOUNT_ID, accountRoot, bucketArn, ORG_ID } from "../arns";
import { KEY_ADMIN_ACTIONS } from "../key-policy";
import { policy, PolicyDocument } from "../policy-types";
import { CONFIG_SERVICE } from "./documents";

/** The encryption context S3 sends with every SSE-KMS call: the object's ARN (the bucket's ARN once S3 Bucket Keys are on). */
export const S3_CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn";

/** What AWS Config needs on the key of an SSE-KMS delivery bucket (AWS Config guide, "Permissions for the KMS Key"). */
export const CONFIG_DELIVERY_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

export interface ConfigKeyPolicyInput {
  /** The log-archive account: owns the key and the Config bucket (a bucket's default key must be its own region's). */
  accountId: string;
  /** Config of every account of this organization may encrypt with the key. */
  orgId: string;
  configBucketName: string;
}

/**
 * Key policy of the Config bucket's key (log-archive account, home region).
 *
 * Config's recorder runs with the service-linked role, which has no KMS permission; AWS Config
 * then delivers as its service principal, so `config.amazonaws.com` is the principal S3 calls KMS
 * for. AWS's example scopes it with aws:SourceAccount; every account of the organization delivers
 * here, so it is scoped with aws:SourceOrgID (the organization of the source account, as the Config
 * bucket policy already relies on), and further to objects under AWSLogs/<account>/Config/ of the
 * Config bucket through S3's encryption context, which holds the object ARN because S3 Bucket Keys
 * are off. Administration carries no cryptographic action and no CreateGrant, and there is no
 * "enable IAM policies" statement, so no identity policy of the account can hand anyone Decrypt:
 * nobody reads the delivered files, and the audit agent does not need to.
 */
export function configKeyPolicy(i: ConfigKeyPolicyInput): PolicyDocument {
  if (!ACCOUNT_ID.test(i.accountId)) throw new Error(`configKeyPolicy: accountId must be a 12-digit account id, got "${i.accountId}"`);
  if (!ORG_ID.test(i.orgId)) throw new Error(`configKeyPolicy: orgId must be an organization id such as o-a1b2c3d4e5, got "${i.orgId}"`);
  if (i.configBucketName === "") throw new Error("configKeyPolicy: configBucketName must not be empty");
  return policy(
    [
      { Sid: "KeyAdministration", Effect: "Allow", Principal: { AWS: accountRoot(i.accountId) }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
      {
        Sid: "AWSConfigDelivery",
        Effect: "Allow",
        Principal: { Service: CONFIG_SERVICE },
        Action: CONFIG_DELIVERY_KEY_ACTIONS,
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceOrgID": i.orgId },
          StringLike: { [S3_CONTEXT_KEY]: `${bucketArn(i.configBucketName)}/AWSLogs/*/Config/*` },
        },
      },
    ],
    "orgwarden-config-key",
  );
}
