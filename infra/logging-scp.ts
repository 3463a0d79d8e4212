import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertScpSize, loggingProtectionScp, PolicyDocument } from "../baseline";
import { requireProvider } from "./providers";

export interface LoggingScpArgs {
  /** Policy name in Organizations. */
  policyName: string;
  /** Principal ARN patterns the SCP never applies to. */
  exemptPrincipalArns: string[];
  /** Buckets whose configuration the SCP freezes (names known from config, so the size check runs at preview). */
  protectedBucketNames: string[];
  trailLogGroupName: string;
  /** Root, OU or account the SCP is attached to (the organization root). */
  targetId: pulumi.Input<string>;
  /** Resources that must exist first (the organization with SCPs enabled). */
  waitFor?: pulumi.Resource[];
}

/**
 * The "protect security logging" SCP, attached to the root. The document is built and measured
 * in the constructor, from plain values: an oversized SCP fails the preview, not the deploy.
 */
export class LoggingScp extends pulumi.ComponentResource {
  public readonly policy: aws.organizations.Policy;
  public readonly attachment: aws.organizations.PolicyAttachment;
  public readonly document: PolicyDocument;
  public readonly policyId: pulumi.Output<string>;

  constructor(name: string, args: LoggingScpArgs, opts?: pulumi.ComponentResourceOptions) {
    requireProvider("orgwarden:scp:LoggingScp", name, opts);
    super("orgwarden:scp:LoggingScp", name, {}, opts);
    this.document = loggingProtectionScp({
      exemptPrincipalArns: args.exemptPrincipalArns,
      protectedBucketNames: args.protectedBucketNames,
      trailLogGroupName: args.trailLogGroupName,
    });
    const content = assertScpSize(args.policyName, this.document);
    this.policy = new aws.organizations.Policy(
      `${name}-policy`,
      {
        name: args.policyName,
        description: "orgwarden: nobody but the exempt principals may switch off, redirect or delete security logging",
        type: "SERVICE_CONTROL_POLICY",
        content,
      },
      { parent: this, dependsOn: args.waitFor ?? [] },
    );
    this.attachment = new aws.organizations.PolicyAttachment(
      `${name}-attachment`,
      { policyId: this.policy.id, targetId: args.targetId },
      { parent: this },
    );
    this.policyId = this.policy.id;
    this.registerOutputs({ policyId: this.policyId });
  }
}
