/**
 * The keys the KMS checks judge: the log key (manifest `key`) and every other key the baseline
 * lays (manifest `keys.others`), each with its intent, where it lives and what was read of it. The
 * log key keeps the scope it always had, so its findings keep their ids.
 */
import { parseKmsKeyRef, type AuditManifest } from "../../baseline";
import { failed, type CollectError, type ObservedKey } from "../model";
import type { Scope } from "./common";
import { keyScope } from "./kms-scope";

type Allowed = AuditManifest["key"]["allowedGrantees"];

export interface JudgedKey {
  /** "log-key", or the manifest's handle. */
  name: string;
  /** For people: "the log key", "the trail log group's key", … */
  label: string;
  arn: string;
  scope: Scope;
  expectedKeyPolicy: AuditManifest["key"]["expectedKeyPolicy"];
  allowedGrantees: Allowed;
  rotationEnabled: boolean;
  /** Absent when the manifest names no alias for the key (a manifest written before `keys`). */
  aliasName?: string;
  observed: ObservedKey;
}

export const LOG_KEY_LABEL = "the log key";

function scopeOf(arn: string, m: AuditManifest): Scope {
  const ref = parseKmsKeyRef(arn);
  const where = ref?.kind === "key-arn" ? ref : undefined;
  return {
    account: where?.account || m.organization.securityAccountId,
    region: where?.region || m.regions.home,
    resourceArn: arn,
  };
}

/** Why a listed key has no reading: the state was built by something that did not collect the baseline's keys. */
function notCollected(scope: Scope): CollectError {
  return {
    name: "NotCollected",
    message: "the observed state carries no reading of the baseline's keys (it was collected without them)",
    kind: "other",
    operation: "collect baseline keys",
    service: "kms",
    account: scope.account,
    region: scope.region,
  };
}

function unread(keyArn: string, e: CollectError): ObservedKey {
  return {
    keyArn,
    policy: failed(e),
    grants: failed(e),
    rotationEnabled: failed(e),
    metadata: failed(e),
    alias: failed(e),
  };
}

export function baselineKeys(o: { key: ObservedKey; keys?: ObservedKey[] }, m: AuditManifest): JudgedKey[] {
  const log: JudgedKey = {
    name: "log-key",
    label: LOG_KEY_LABEL,
    arn: m.key.arn,
    scope: keyScope(m),
    expectedKeyPolicy: m.key.expectedKeyPolicy,
    allowedGrantees: m.key.allowedGrantees,
    // The log key is laid with rotation on; the manifest has always implied it.
    rotationEnabled: true,
    ...(m.keys?.logKeyAlias ? { aliasName: m.keys.logKeyAlias } : {}),
    observed: o.key,
  };
  const others = (m.keys?.others ?? []).map((k, n): JudgedKey => {
    const scope = scopeOf(k.arn, m);
    const seen = o.keys?.[n];
    return {
      name: k.name,
      label: k.purpose,
      arn: k.arn,
      scope,
      expectedKeyPolicy: k.expectedKeyPolicy,
      allowedGrantees: k.allowedGrantees,
      rotationEnabled: k.rotationEnabled,
      aliasName: k.aliasName,
      observed: seen && seen.keyArn === k.arn ? seen : unread(k.arn, notCollected(scope)),
    };
  });
  return [log, ...others];
}

/** "The key policy of <arn>" for the log key (as it always read), "… (<label>)" for the others. */
export function keyTitle(what: string, k: JudgedKey): string {
  return k.name === "log-key" ? `${what} ${k.arn}` : `${what} ${k.arn} (${k.label})`;
}
