/**
 * The audit manifest's parameters (security account, home region): the head and each part
 * (baseline/manifest-codec.ts), read through the read role: their metadata (one DescribeParameters
 * over all the names: type, tier, Version and LastModifiedUser, which SSM sets) and their tags
 * (ListTagsForResource: the orgwarden:manifest-sha256 tag infra pins each with). Not their values:
 * the read role is denied ssm:GetParameter*, and the check needs only the fingerprints.
 */
import { ListTagsForResourceCommand, paginateDescribeParameters, type SSMClient } from "@aws-sdk/client-ssm";
import { manifestParameterNames } from "../../baseline";
import {
  collected,
  failed,
  type Collected,
  type ObservedManifestParameter,
  type ObservedManifestPart,
  type ObservedParameterMetadata,
} from "../model";
import { attempt, drain, iso, type CallScope } from "./common";

export async function collectManifestParameter(
  ssm: SSMClient,
  account: string,
  region: string,
  name: string,
): Promise<ObservedManifestParameter> {
  const names = manifestParameterNames(name);
  const scope: CallScope = { service: "ssm", operation: "DescribeParameters", account, region };
  const described = await attempt(scope, async () => {
    const found = await drain(
      paginateDescribeParameters(
        { client: ssm },
        { ParameterFilters: [{ Key: "Name", Option: "Equals", Values: names }] },
      ),
      (p) => p.Parameters,
    );
    return new Map(
      found.map((p) => [
        p.Name ?? "",
        {
          arn: p.ARN,
          type: p.Type,
          tier: p.Tier,
          version: p.Version,
          lastModifiedDate: iso(p.LastModifiedDate),
          lastModifiedUser: p.LastModifiedUser,
        },
      ]),
    );
  });
  const read = async (n: string): Promise<Pick<ObservedManifestPart, "metadata" | "tags">> => {
    if (!described.ok) return { metadata: failed(described.error), tags: failed(described.error) };
    const md = described.value.get(n);
    const metadata: Collected<ObservedParameterMetadata> = collected(md);
    if (md === undefined) return { metadata, tags: collected({}) };
    const tags = await attempt({ ...scope, operation: "ListTagsForResource" }, async () => {
      const r = await ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: n }));
      return Object.fromEntries((r.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
    });
    return { metadata, tags };
  };
  const head = await read(name);
  const parts: ObservedManifestPart[] = [];
  for (const [i, n] of names.slice(1).entries()) parts.push({ name: n, index: i + 2, ...(await read(n)) });
  return { name, account, region, ...head, parts };
}

/** The same pieces for a security account that could not be entered: every read names the failure. */
export function unreadableManifestParameter(
  name: string,
  account: string,
  region: string,
  e: Parameters<typeof failed>[0],
): ObservedManifestParameter {
  return {
    name,
    account,
    region,
    metadata: failed(e),
    tags: failed(e),
    parts: manifestParameterNames(name)
      .slice(1)
      .map((n, i): ObservedManifestPart => ({ name: n, index: i + 2, metadata: failed(e), tags: failed(e) })),
  };
}
