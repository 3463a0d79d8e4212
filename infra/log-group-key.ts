import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { minify, PolicyDocument, PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../baseline";
import { logGroupKeyPolicy } from "../baseline";
import { requireProvider } from "./providers";

export interface LogGroupKeyArgs {
  /** The management account, which owns the trail's log group (a log group can only use a key of its own account's region). */
  managementAccountId: string;
  /** Region of the log group (the home region). */
  region: string;
  logGroupName: string;
  /** IAM principal ARN patterns of the management account that administer the key; empty: IAM policies decide. */
  adminPrincipalArns: string[];
  aliasName: string;
}

/** KMS alias names are at most 256 characters. */
const MAX_ALIAS = 256;

/**
 * The customer key of the organization trail's CloudWatch Logs group, in the management account
 * and home region. Its policy is built from plain config values, so it is known at preview.
 */
export class LogGroupKey extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;
  public readonly alias: aws.kms.Alias;
  public readonly keyArn: pulumi.Output<string>;
  public readonly policyDocument: PolicyDocument;

  constructor(name: string, args: LogGroupKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:kms:LogGroupKey", name, opts);
    if (args.aliasName.length > MAX_ALIAS) {
      throw new Error(`LogGroupKey "${name}": alias ${args.aliasName} is longer than ${MAX_ALIAS} characters; shorten orgwarden:kms.aliasName`);
    }
    super("orgwarden:kms:LogGroupKey", name, {}, opts);
    this.policyDocument = logGroupKeyPolicy({
      accountId: args.managementAccountId,
      region: args.region,
      logGroupName: args.logGroupName,
      adminPrincipalArns: args.adminPrincipalArns,
    });
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: "orgwarden: encrypts the organization trail's CloudWatch Logs group",
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: minify(this.policyDocument),
        tags: { [PROTECT_TAG_KEY]: PROTECT_TAG_VALUE },
      },
      // Deleting or disabling the key makes every log event it encrypted unreadable.
      { parent: this, protect: true },
    );
    this.alias = new aws.kms.Alias(`${name}-alias`, { name: args.aliasName, targetKeyId: this.key.keyId }, { parent: this });
    this.keyArn = this.key.arn;
    this.registerOutputs({ keyArn: this.keyArn, aliasName: args.aliasName });
  }
}
