/** Which account × region chains a bucket (or its copy) holds: AWSLogs/<org>/<account>/CloudTrail-Digest/<region>/. */
import type { ChainScope } from "./listing";
import type { IntegritySource } from "./source";

export interface DiscoverFilter {
  orgId?: string;
  accounts?: string[];
  regions?: string[];
  trailName?: string;
  homeRegion?: string;
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export async function discoverScopes(source: IntegritySource, f: DiscoverFilter): Promise<ChainScope[]> {
  const orgs = f.orgId
    ? [f.orgId]
    : (await collect(source.listFolders("AWSLogs/"))).filter((o) => /^o-[a-z0-9]+$/.test(o));
  const scopes: ChainScope[] = [];
  for (const orgId of orgs) {
    const accounts = (await collect(source.listFolders(`AWSLogs/${orgId}/`))).filter(
      (a) => /^\d{12}$/.test(a) && (!f.accounts || f.accounts.includes(a)),
    );
    for (const account of accounts) {
      const regions = (await collect(source.listFolders(`AWSLogs/${orgId}/${account}/CloudTrail-Digest/`))).filter(
        (r) => !f.regions || f.regions.includes(r),
      );
      for (const region of regions)
        scopes.push({
          orgId,
          account,
          region,
          ...(f.trailName ? { trailName: f.trailName } : {}),
          ...(f.homeRegion ? { homeRegion: f.homeRegion } : {}),
        });
    }
  }
  return scopes;
}
