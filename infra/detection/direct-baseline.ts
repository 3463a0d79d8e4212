import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountKey } from "../providers";
import { RegionalProviders, requireProviders } from "./providers";

export interface DirectBaselineArgs {
  account: AccountKey;
  stackName: string;
  /** The same template the StackSet deploys. */
  templateBody: pulumi.Input<string>;
  /** Governed regions, home region first. */
  regions: string[];
  providers: RegionalProviders;
  /** false where the account already has Config's service-linked role and the DHMC role (an adopted management account). */
  createServiceRoles: boolean;
  /** The template lays the Config recorder (memberBaselineTemplate recordConfig); default true. Without it the template has no CreateConfigServiceLinkedRole parameter. */
  recordConfig?: boolean;
  waitFor?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The member baseline for an account the StackSet cannot reach (always the management account),
 * as one CloudFormation stack per region from the StackSet's own template, so both paths deploy
 * exactly the same resources. Never give an account the StackSet covers a second baseline: it
 * would get a second Config recorder.
 */
export class DirectBaseline extends pulumi.ComponentResource {
  public readonly stacks: aws.cloudformation.Stack[];

  constructor(name: string, args: DirectBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    const providers = requireProviders("orgwarden:detection:DirectBaseline", name, args.providers);
    super("orgwarden:detection:DirectBaseline", name, {}, opts);
    let previous: pulumi.Resource[] = [...((args.waitFor ?? []) as pulumi.Resource[])];
    this.stacks = args.regions.map((region) => {
      const stack = new aws.cloudformation.Stack(
        `${name}-${region}`,
        {
          name: args.stackName,
          templateBody: args.templateBody,
          capabilities: ["CAPABILITY_NAMED_IAM"],
          onFailure: "ROLLBACK",
          parameters: {
            ...(args.recordConfig === false ? {} : { CreateConfigServiceLinkedRole: String(args.createServiceRoles) }),
            CreateDhmcRole: String(args.createServiceRoles),
          },
        },
        { parent: this, provider: providers.forRegion(args.account, region), dependsOn: previous },
      );
      previous = [stack];
      return stack;
    });
    this.registerOutputs({});
  }
}
