/**
 * KMS keys are named four ways (key ARN, key id, alias ARN, alias name; baseline/arns.ts tells them
 * apart). A bare key id means a key in the account and region of the resource that holds it, and an
 * alias can be re-pointed at another key at any time, so only a key ARN — or a key id resolved where
 * AWS resolves it — proves identity.
 */
import { keyArn, parseKmsKeyRef } from "../../baseline";

export type KeyMatch = { same: true } | { same: false; reason: string };

/** Where a bare key id is resolved: the account and region of the bucket or trail that names it. */
export interface KeyHome {
  account: string;
  region: string;
}

export function sameKmsKey(observed: string | undefined, intendedArn: string, home: KeyHome): KeyMatch {
  if (observed === undefined || observed === "") return { same: false, reason: "no KMS key is set" };
  const ref = parseKmsKeyRef(observed);
  if (ref?.kind === "alias-name" || ref?.kind === "alias-arn") {
    return {
      same: false,
      reason: `the key is named through the alias ${observed}, which can be re-pointed at another key; name it by its key ARN ${intendedArn}`,
    };
  }
  const arn = ref?.kind === "key-id" ? keyArn(home.region, home.account, ref.keyId) : observed;
  if (parseKmsKeyRef(arn)?.kind !== "key-arn")
    return { same: false, reason: `${observed} is not a KMS key ARN, key id or alias` };
  if (arn === intendedArn) return { same: true };
  const why = ref?.kind === "key-id" ? ` (the bare key id ${observed} resolves to ${arn})` : "";
  return { same: false, reason: `the key is ${arn}${why}, not the intended ${intendedArn}` };
}
