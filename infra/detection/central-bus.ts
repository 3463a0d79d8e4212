import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { minify } from "../../baseline";
import {
  CENTRAL_RULE_TARGET_ID,
  centralBusPolicy,
  centralBusRoutes,
  centralBusRuleName,
  eventPatternJson,
} from "../../baseline/detection";
import { requireProvider } from "../providers";

export interface CentralEventBusArgs {
  busName: string;
  orgId: pulumi.Input<string>;
  /** Alert topic of the security account, same region. */
  topicArn: pulumi.Input<string>;
  /** The audit agent's role: the only principal that may put events of source orgwarden.audit. */
  auditEventRoleArn?: pulumi.Input<string>;
}

/** The security account's bus: every account forwards findings and CIS events here; HIGH/CRITICAL and CIS go to the topic. */
export class CentralEventBus extends pulumi.ComponentResource {
  public readonly busArn: pulumi.Output<string>;
  public readonly busName: pulumi.Output<string>;
  public readonly policy: aws.cloudwatch.EventBusPolicy;

  constructor(name: string, args: CentralEventBusArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:detection:CentralEventBus", name, opts);
    super("orgwarden:detection:CentralEventBus", name, {}, opts);
    const bus = new aws.cloudwatch.EventBus(
      `${name}-bus`,
      { name: args.busName, description: "orgwarden: findings and CIS events from every account" },
      { parent: this },
    );
    this.policy = new aws.cloudwatch.EventBusPolicy(
      `${name}-policy`,
      {
        eventBusName: bus.name,
        policy: pulumi
          .all([bus.arn, args.orgId, args.auditEventRoleArn])
          .apply(([busArn, orgId, auditEventRoleArn]) =>
            minify(centralBusPolicy({ busArn, orgId, auditEventRoleArn })),
          ),
      },
      { parent: this },
    );
    for (const { suffix, description, pattern } of centralBusRoutes()) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${suffix}`,
        {
          name: centralBusRuleName(args.busName, suffix),
          description,
          eventBusName: bus.name,
          eventPattern: eventPatternJson(pattern),
          state: "ENABLED",
        },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${suffix}-target`,
        { rule: rule.name, eventBusName: bus.name, targetId: CENTRAL_RULE_TARGET_ID, arn: args.topicArn },
        { parent: this },
      );
    }
    this.busArn = bus.arn;
    this.busName = bus.name;
    this.registerOutputs({ busArn: this.busArn, busName: this.busName });
  }
}
