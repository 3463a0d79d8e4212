/**
 * KMS keys are named four ways (key ARN, key id, alias ARN, alias name). A bare key id means a key
 * in the account and region of the resource that holds it, and an alias can be re-pointed at another
 * key at any time, so only a key ARN — or a key id resolved where AWS resolves it — proves identity.
 */
const KEY_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const ALIAS = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:)?alias\//;

export type KeyMatch = { same: true } | { same: false; reason: string };

/** Where a bare key id is resolved: the account and region of the bucket or trail that names it. */
export interface KeyHome {
  account: string;
  region: string;
}

export function sameKmsKey(observed: string | undefined, intendedArn: string, home: KeyHome): KeyMatch {
  if (observed === undefined || observed === "") return { same: false, reason: "no KMS key is set" };
  if (ALIAS.test(observed)) {
    return { same: false, reason: `the key is named through the alias ${observed}, which can be re-pointed at another key; name it by its key ARN ${intendedArn}` };
  }
  const arn = KEY_ID.test(observed) ? `arn:aws:kms:${home.region}:${home.account}:key/${observed}` : observed;
  if (!KEY_ARN.test(arn)) return { same: false, reason: `${observed} is not a KMS key ARN, key id or alias` };
  if (arn === intendedArn) return { same: true };
  const why = KEY_ID.test(observed) ? ` (the bare key id ${observed} resolves to ${arn})` : "";
  return { same: false, reason: `the key is ${arn}${why}, not the intended ${intendedArn}` };
}
