import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { minify } from "../../baseline";
import { alertKeyPolicy, alertTopicPolicy } from "../../baseline/detection";
import { customerKey } from "../customer-key";
import type { LaidKey } from "../laid-key";
import { requireProvider } from "../providers";

export interface AlertTopicArgs {
  /** Account that owns the topic; only its alarms and EventBridge rules may publish. */
  accountId: pulumi.Input<string>;
  /** Region of the provider: alarms and rules can only notify a topic of their own region. */
  region: string;
  topicName: string;
  /** E-mail subscribers; each must confirm. */
  emails: string[];
  /** IAM roles of the account that publish too (the audit agent's run message): exempt from the topic's deny, delegated the key through SNS. */
  publisherRoleArns?: pulumi.Input<string[]>;
}

/** A KMS-encrypted SNS topic that only CloudWatch alarms and EventBridge rules of its account publish to. */
export class AlertTopic extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  public readonly keyArn: pulumi.Output<string>;
  public readonly laidKey: LaidKey;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:detection:AlertTopic", name, opts);
    super("orgwarden:detection:AlertTopic", name, {}, opts);
    const keyPolicyDocument = pulumi
      .all([args.accountId, args.publisherRoleArns ?? []])
      .apply(([accountId, publisherRoleArns]) => alertKeyPolicy({ accountId, region: args.region, publisherRoleArns }));
    // A deleted key silences the topic: publishers can no longer encrypt, so alarms stop arriving.
    const { key } = customerKey(this, {
      names: { key: `${name}-key`, alias: `${name}-alias` },
      description: `Encrypts the ${args.topicName} alert topic`,
      policy: keyPolicyDocument.apply(minify),
      aliasName: `alias/${args.topicName}`,
      symmetricAndTagged: false,
    });
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: args.topicName, kmsMasterKeyId: key.arn },
      { parent: this },
    );
    new aws.sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topic.arn,
        policy: pulumi
          .all([topic.arn, args.accountId, args.publisherRoleArns ?? []])
          .apply(([topicArn, accountId, publisherRoleArns]) =>
            minify(alertTopicPolicy({ topicArn, accountId, region: args.region, publisherRoleArns })),
          ),
      },
      { parent: this },
    );
    args.emails.forEach((email, n) => {
      new aws.sns.TopicSubscription(
        `${name}-email-${n}`,
        { topic: topic.arn, protocol: "email", endpoint: email },
        { parent: this },
      );
    });
    this.topicArn = topic.arn;
    this.keyArn = key.arn;
    this.laidKey = {
      name: `${args.topicName}-key`,
      purpose: `the ${args.topicName} alert topic's key`,
      keyArn: this.keyArn,
      aliasName: `alias/${args.topicName}`,
      policyDocument: keyPolicyDocument,
    };
    this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
  }
}
