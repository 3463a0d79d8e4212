import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../baseline";

/**
 * A customer key as a component laid it, for the audit manifest's `keys` section: the exact policy
 * document the key was given (minified into its `policy`), so the intended document is the laid one.
 */
export interface LaidKey {
  /** Stable handle in the manifest, e.g. "log-group-key". */
  name: string;
  /** What the key protects, for people reading a finding. */
  purpose: string;
  keyArn: pulumi.Output<string>;
  aliasName: pulumi.Input<string>;
  policyDocument: pulumi.Input<PolicyDocument>;
}

export type LaterKey = pulumi.Output<pulumi.UnwrappedObject<LaidKey>>;

/**
 * A key laid by a component declared after the audit manifest (the audit agent, whose function
 * waits for the manifest parameter): the manifest names it through this output, resolved once the
 * component exists. `settle` must run whatever happens, so a failed declaration never leaves it pending.
 */
export function laterKey(): { key: LaterKey; settle(declare: () => LaidKey): void } {
  const k = later<LaidKey>();
  return { key: k.output, settle: k.settle };
}

/** A role as a component laid it, for the audit manifest's `roles`: the exact documents given to the role and its policies. */
export interface LaidRole {
  /** Stable handle in the manifest, e.g. "trail-logs-role". */
  name: string;
  purpose: string;
  account: pulumi.Input<string>;
  roleName: string;
  trustPolicy: pulumi.Input<PolicyDocument>;
  inlinePolicies: Record<string, pulumi.Input<PolicyDocument>>;
  managedPolicyArns: string[];
}

export type LaterRole = pulumi.Output<pulumi.UnwrappedObject<LaidRole>>;

/** As laterKey, for the roles of a component declared after the manifest. */
export function laterRole(): { role: LaterRole; settle(declare: () => LaidRole): void } {
  const k = later<LaidRole>();
  return { role: k.output, settle: k.settle };
}

function later<T>(): { output: pulumi.Output<pulumi.Unwrap<T>>; settle(declare: () => T): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    output: pulumi.output(promise),
    settle(declare) {
      try {
        resolve(declare());
      } catch (e) {
        reject(e);
        throw e;
      }
    },
  };
}
