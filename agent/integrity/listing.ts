/** Which digests of an account × region fall in a window: only the day folders the window touches are listed. */
import { dayPath, digestPrefix, parseDigestKey, type DigestKeyParts } from "./format";
import type { IntegritySource } from "./source";

export interface ChainScope {
  orgId: string;
  account: string;
  region: string;
  /** When set, digests of other trails under the same prefix are ignored (awscli: _create_digest_key_regex). */
  trailName?: string;
  homeRegion?: string;
}

export interface Window {
  from: Date;
  to: Date;
}

export interface ListedDigest extends DigestKeyParts {
  key: string;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Keys whose timestamp is in [from, to + 1 h], oldest first. The extra hour is awscli's
 * (DigestProvider.load_all_digest_keys_in_range: "logs that spilled over to next"): the digest
 * covering `to` is written up to an hour after it.
 */
export async function listDigests(source: IntegritySource, scope: ChainScope, w: Window): Promise<ListedDigest[]> {
  const last = w.to.getTime() + HOUR;
  const out: ListedDigest[] = [];
  const base = digestPrefix(scope.orgId, scope.account, scope.region);
  for (let day = Date.parse(w.from.toISOString().slice(0, 10)); day <= last; day += DAY) {
    for await (const key of source.listKeys(`${base}${dayPath(new Date(day))}`)) {
      const p = parseDigestKey(key);
      if (!p || p.account !== scope.account || p.region !== scope.region) continue;
      if (
        (scope.trailName && p.trailName !== scope.trailName) ||
        (scope.homeRegion && p.homeRegion !== scope.homeRegion)
      )
        continue;
      const t = p.time.getTime();
      if (t >= w.from.getTime() && t <= last) out.push({ ...p, key });
    }
  }
  return out.sort((a, b) => a.time.getTime() - b.time.getTime() || (a.key < b.key ? -1 : 1));
}
