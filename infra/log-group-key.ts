import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { minify, PolicyDocument, roleArn } from "../baseline";
import { customerKey } from "./customer-key";
import { logGroupKeyPolicy } from "../baseline";
import type { LaidKey } from "./laid-key";
import { requireProvider } from "./providers";

export interface LogGroupKeyArgs {
  /** The management account, which owns the trail's log group (a log group can only use a key of its own account's region). */
  managementAccountId: string;
  /** Region of the log group (the home region). */
  region: string;
  logGroupName: string;
  /** IAM principal ARN patterns of the management account that administer the key; empty: IAM policies decide. */
  adminPrincipalArns: string[];
  /** The audit read role of the management account (added to the policy only when adminPrincipalArns narrows administration). */
  auditReadRoleName?: string;
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
  public readonly laidKey: LaidKey;

  constructor(name: string, args: LogGroupKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:kms:LogGroupKey", name, opts);
    if (args.aliasName.length > MAX_ALIAS) {
      throw new Error(
        `LogGroupKey "${name}": alias ${args.aliasName} is longer than ${MAX_ALIAS} characters; shorten orgwarden:kms.aliasName`,
      );
    }
    super("orgwarden:kms:LogGroupKey", name, {}, opts);
    this.policyDocument = logGroupKeyPolicy({
      accountId: args.managementAccountId,
      region: args.region,
      logGroupName: args.logGroupName,
      adminPrincipalArns: args.adminPrincipalArns,
      ...(args.auditReadRoleName
        ? { auditReadRoleArns: [roleArn(args.managementAccountId, args.auditReadRoleName)] }
        : {}),
    });
    // Deleting or disabling the key makes every log event it encrypted unreadable.
    ({ key: this.key, alias: this.alias } = customerKey(this, {
      names: { key: `${name}-key`, alias: `${name}-alias` },
      description: "orgwarden: encrypts the organization trail's CloudWatch Logs group",
      policy: minify(this.policyDocument),
      aliasName: args.aliasName,
      symmetricAndTagged: true,
    }));
    this.keyArn = this.key.arn;
    this.laidKey = {
      name: "log-group-key",
      purpose: "the organization trail's CloudWatch Logs group key",
      keyArn: this.keyArn,
      aliasName: args.aliasName,
      policyDocument: this.policyDocument,
    };
    this.registerOutputs({ keyArn: this.keyArn, aliasName: args.aliasName });
  }
}
