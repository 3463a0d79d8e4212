/**
 * Mocks for offline previews. Generic by default: every resource gets an id and echoes its inputs.
 * For AWS resources they also fill the computed attributes programs commonly read (arn, bucket,
 * keyId, organization roots, account ids), with the account and region taken from the resource's
 * explicit aws.Provider, so cross-account wiring can be inspected offline.
 */
import { createHash } from "node:crypto";
import type { MockCallArgs, MockCallResult, MockResourceArgs, MockResourceResult, Mocks } from "@pulumi/pulumi/runtime";

export interface AwsMockOptions {
  /** Account of resources without an explicit provider, and the organization's management account. */
  defaultAccountId: string;
  defaultRegion: string;
  organizationId: string;
  rootId: string;
  /** The organization's accounts as aws.organizations.getOrganization lists them (default: none listed). */
  accounts?: { id: string; name: string; state: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" }[];
}

export const DEFAULT_AWS_MOCK_OPTIONS: AwsMockOptions = {
  defaultAccountId: "111111111111",
  defaultRegion: "us-east-1",
  organizationId: "o-a1b2c3d4e5",
  rootId: "r-a1b2",
};

function hash(s: string, len: number, alphabet = "0123456789abcdef"): string {
  const h = createHash("sha256").update(s).digest();
  let out = "";
  for (let i = 0; out.length < len; i++) out += alphabet[h[i % h.length] % alphabet.length];
  return out;
}

/** Deterministic 12-digit account id for a mocked aws.organizations.Account. */
export function mockAccountId(name: string): string {
  return "9" + hash(`account:${name}`, 11, "0123456789");
}

interface ProviderInfo {
  region?: string;
  accountId?: string;
}

export class AwsMocks implements Mocks {
  private readonly providers = new Map<string, ProviderInfo>();
  readonly unmockedCalls: string[] = [];

  constructor(private readonly opts: AwsMockOptions = DEFAULT_AWS_MOCK_OPTIONS) {}

  private scope(providerRef?: string): { region: string; account: string } {
    const urn = providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : "";
    const p = this.providers.get(urn) ?? {};
    return { region: p.region ?? this.opts.defaultRegion, account: p.accountId ?? this.opts.defaultAccountId };
  }

  newResource(args: MockResourceArgs): MockResourceResult {
    const inputs = { ...(args.inputs ?? {}) } as Record<string, any>;
    if (args.type === "pulumi:providers:aws") return this.provider(args, inputs);
    const { region, account } = this.scope(args.provider);
    const [, mod = "", kind = ""] = args.type.split(":");
    const service = mod.split("/")[0];
    const typeName = kind;
    const state: Record<string, any> = { ...inputs };
    let id = args.id || `${args.name}-${hash(args.type + args.name, 8)}`;
    switch (args.type) {
      case "aws:organizations/organization:Organization": {
        id = args.id || this.opts.organizationId;
        Object.assign(state, {
          arn: `arn:aws:organizations::${this.opts.defaultAccountId}:organization/${id}`,
          masterAccountId: this.opts.defaultAccountId,
          masterAccountArn: `arn:aws:organizations::${this.opts.defaultAccountId}:account/${id}/${this.opts.defaultAccountId}`,
          accounts: (this.opts.accounts ?? []).map((a) => ({
            ...a,
            status: a.state,
            email: `${a.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}@example.com`,
            arn: `arn:aws:organizations::${this.opts.defaultAccountId}:account/${this.opts.organizationId}/${a.id}`,
            joinedMethod: "INVITED",
            joinedTimestamp: "2024-01-01T00:00:00Z",
          })),
          roots: [
            {
              id: this.opts.rootId,
              name: "Root",
              arn: `arn:aws:organizations::${this.opts.defaultAccountId}:root/${id}/${this.opts.rootId}`,
              policyTypes: (inputs.enabledPolicyTypes ?? []).map((t: string) => ({ type: t, status: "ENABLED" })),
            },
          ],
        });
        break;
      }
      case "aws:organizations/account:Account":
        id = args.id || mockAccountId(inputs.name ?? args.name);
        Object.assign(state, {
          arn: `arn:aws:organizations::${this.opts.defaultAccountId}:account/${this.opts.organizationId}/${id}`,
          status: "ACTIVE",
        });
        break;
      case "aws:organizations/organizationalUnit:OrganizationalUnit":
        id = args.id || `ou-${this.opts.rootId.slice(2)}-${hash(args.name, 8, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
        state.arn = `arn:aws:organizations::${this.opts.defaultAccountId}:ou/${this.opts.organizationId}/${id}`;
        break;
      case "aws:organizations/policy:Policy":
        id = args.id || `p-${hash(args.name, 8, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
        state.arn = `arn:aws:organizations::${this.opts.defaultAccountId}:policy/${this.opts.organizationId}/service_control_policy/${id}`;
        break;
      case "aws:kms/key:Key": {
        const keyId = `${hash(args.name, 8)}-${hash(args.name + 1, 4)}-${hash(args.name + 2, 4)}-${hash(args.name + 3, 4)}-${hash(args.name + 4, 12)}`;
        id = args.id || keyId;
        Object.assign(state, { keyId: id, arn: `arn:aws:kms:${region}:${account}:key/${id}` });
        break;
      }
      case "aws:kms/alias:Alias":
        state.arn = `arn:aws:kms:${region}:${account}:${inputs.name}`;
        id = inputs.name ?? id;
        break;
      case "aws:s3/bucket:Bucket":
      case "aws:s3/bucketV2:BucketV2": {
        const bucket = inputs.bucket ?? `${args.name}-${hash(args.name, 7)}`;
        id = args.id || bucket;
        Object.assign(state, {
          bucket,
          arn: `arn:aws:s3:::${bucket}`,
          bucketDomainName: `${bucket}.s3.amazonaws.com`,
          region,
        });
        break;
      }
      case "aws:cloudtrail/trail:Trail":
        id = args.id || inputs.name || args.name;
        Object.assign(state, {
          arn: `arn:aws:cloudtrail:${region}:${account}:trail/${inputs.name ?? args.name}`,
          homeRegion: region,
        });
        break;
      case "aws:cloudwatch/logGroup:LogGroup":
        id = args.id || inputs.name || args.name;
        state.arn = `arn:aws:logs:${region}:${account}:log-group:${inputs.name ?? args.name}`;
        break;
      case "aws:iam/role:Role":
        id = args.id || inputs.name || args.name;
        Object.assign(state, {
          arn: `arn:aws:iam::${account}:role/${inputs.path && inputs.path !== "/" ? inputs.path.replace(/^\/|\/$/g, "") + "/" : ""}${inputs.name ?? args.name}`,
          uniqueId: `AROA${hash(args.name, 17).toUpperCase()}`,
        });
        break;
      case "aws:sns/topic:Topic":
        id = `arn:aws:sns:${region}:${account}:${inputs.name ?? args.name}`;
        state.arn = id;
        break;
      case "aws:cloudwatch/eventBus:EventBus":
        id = inputs.name ?? args.name;
        state.arn = `arn:aws:events:${region}:${account}:event-bus/${id}`;
        break;
      case "aws:cloudwatch/eventRule:EventRule": {
        const bus =
          inputs.eventBusName && inputs.eventBusName !== "default"
            ? `${String(inputs.eventBusName).split("/").pop()}/`
            : "";
        id = inputs.name ?? args.name;
        state.arn = `arn:aws:events:${region}:${account}:rule/${bus}${id}`;
        break;
      }
      case "aws:lambda/function:Function":
        id = inputs.name ?? args.name;
        Object.assign(state, {
          arn: `arn:aws:lambda:${region}:${account}:function:${id}`,
          invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:${id}/invocations`,
        });
        break;
      case "aws:ssm/parameter:Parameter":
        id = inputs.name ?? args.name;
        state.arn = `arn:aws:ssm:${region}:${account}:parameter${String(id).startsWith("/") ? "" : "/"}${id}`;
        break;
      default:
        if (args.custom !== false && service && state.arn === undefined) {
          state.arn = `arn:aws:${service}:${region}:${account}:${typeName}/${inputs.name ?? args.name}`;
        }
    }
    return { id, state };
  }

  private provider(args: MockResourceArgs, inputs: Record<string, any>): MockResourceResult {
    return { id: `${args.name}-provider-id`, state: inputs };
  }

  /** Called by the harness once the engine has given a provider its URN, before any child can use it. */
  bindProvider(urn: string, inputs: Record<string, any>): void {
    const parse = (v: unknown) => (typeof v === "string" && v.startsWith("[") ? JSON.parse(v) : v);
    const allowed = parse(inputs.allowedAccountIds) as string[] | undefined;
    const roles = parse(inputs.assumeRoles) as { roleArn?: string }[] | undefined;
    const roleArn = Array.isArray(roles) ? roles[0]?.roleArn : undefined;
    const assumed = typeof roleArn === "string" ? roleArn.split(":")[4] : undefined;
    this.providers.set(urn, { region: inputs.region, accountId: allowed?.[0] ?? assumed });
  }

  call(args: MockCallArgs): MockCallResult {
    const { region, account } = this.scope(args.provider);
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: account,
          arn: `arn:aws:iam::${account}:role/offline-preview`,
          userId: "AROAOFFLINE",
          id: account,
        };
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
      case "aws:organizations/getOrganization:getOrganization":
        return {
          id: this.opts.organizationId,
          masterAccountId: this.opts.defaultAccountId,
          accounts: (this.opts.accounts ?? []).map((a) => ({
            ...a,
            status: a.state,
            email: `${a.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}@example.com`,
            arn: `arn:aws:organizations::${this.opts.defaultAccountId}:account/${this.opts.organizationId}/${a.id}`,
            joinedMethod: "INVITED",
            joinedTimestamp: "2024-01-01T00:00:00Z",
          })),
          roots: [
            {
              id: this.opts.rootId,
              name: "Root",
              arn: `arn:aws:organizations::${this.opts.defaultAccountId}:root/${this.opts.organizationId}/${this.opts.rootId}`,
            },
          ],
        };
      default:
        this.unmockedCalls.push(args.token);
        return {};
    }
  }
}

/** Generic mocks for any program: every resource gets an id and echoes its inputs as outputs. */
export class EchoMocks implements Mocks {
  readonly unmockedCalls: string[] = [];
  newResource(args: MockResourceArgs): MockResourceResult {
    return { id: args.id || `${args.name}-id`, state: { ...(args.inputs ?? {}) } };
  }
  call(args: MockCallArgs): MockCallResult {
    this.unmockedCalls.push(args.token);
    return {};
  }
}
