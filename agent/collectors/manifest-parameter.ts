/**
 * The audit manifest parameter (security account, home region), read through the read role: its
 * metadata (DescribeParameters: type, tier, Version and LastModifiedUser, which SSM sets) and its
 * tags (ListTagsForResource: the orgwarden:manifest-sha256 tag infra pins the manifest with). Not
 * its value: the read role is denied ssm:GetParameter*, and the check needs only the fingerprint.
 */
import { ListTagsForResourceCommand, paginateDescribeParameters, type SSMClient } from "@aws-sdk/client-ssm";
import { collected, failed, type ObservedManifestParameter } from "../model";
import { attempt, drain, iso, type CallScope } from "./common";

export async function collectManifestParameter(
  ssm: SSMClient,
  account: string,
  region: string,
  name: string,
): Promise<ObservedManifestParameter> {
  const scope: CallScope = { service: "ssm", operation: "DescribeParameters", account, region };
  const metadata = await attempt(scope, async () => {
    const found = await drain(
      paginateDescribeParameters(
        { client: ssm },
        { ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [name] }] },
      ),
      (p) => p.Parameters,
    );
    const p = found.find((x) => x.Name === name);
    if (!p) return undefined;
    return {
      arn: p.ARN,
      type: p.Type,
      tier: p.Tier,
      version: p.Version,
      lastModifiedDate: iso(p.LastModifiedDate),
      lastModifiedUser: p.LastModifiedUser,
    };
  });
  const base = { name, account, region, metadata };
  if (!metadata.ok) return { ...base, tags: failed(metadata.error) };
  if (metadata.value === undefined) return { ...base, tags: collected({}) };
  const tags = await attempt({ ...scope, operation: "ListTagsForResource" }, async () => {
    const r = await ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name }));
    return Object.fromEntries((r.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  });
  return { ...base, tags };
}

/** The same piece for a security account that could not be entered: every read names the failure. */
export function unreadableManifestParameter(
  name: string,
  account: string,
  region: string,
  e: Parameters<typeof failed>[0],
): ObservedManifestParameter {
  return { name, account, region, metadata: failed(e), tags: failed(e) };
}
