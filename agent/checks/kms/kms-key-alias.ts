import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, finding, verdict, type CheckContext } from "../common";
import { keyScope } from "../kms-scope";
import { baselineKeys, LOG_KEY_LABEL, type JudgedKey } from "../kms-keys";

export const metadata: CheckMetadata = {
  id: "kms-key-alias",
  title: "Every alias the baseline lays points at its own key",
  area: "kms",
  severity: "HIGH",
  risk: "Whoever names a key by its alias (a person in the console, a script, a tool given alias/…) uses whatever key the alias points at: an alias re-pointed at a key someone else controls sends new ciphertext to that key, and a deleted alias breaks everything that names it.",
  remediation: {
    console:
      "KMS console (the key's account and region, from the finding's ARN) → Aliases: point the alias back at the key, or create it.",
    cli: "aws kms update-alias --alias-name <alias> --target-key-id <key-arn> (or aws kms create-alias --alias-name <alias> --target-key-id <key-arn> when it is gone)",
    pulumi: "Run `pulumi up` on the orgwarden stack: each key's aws.kms.Alias (infra/customer-key.ts) targets its key.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
    "https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html",
  ],
};

function keyIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

function judge(observed: ObservedState, k: JudgedKey & { aliasName: string }): Finding {
  const want = { aliasName: k.aliasName, targetKeyId: keyIdOf(k.arn) };
  const alias = k.observed.alias;
  const stop = alias
    ? blocked(metadata, observed, k.scope, want, alias)
    : blocked(metadata, observed, k.scope, want, {
        ok: false,
        error: {
          name: "NotCollected",
          message: "the observed state carries no reading of the key's alias",
          kind: "other",
          operation: "ListAliases",
          service: "kms",
          account: k.scope.account,
          region: k.scope.region,
        },
      });
  if (stop || !alias?.ok) return stop!;
  const a = alias.value;
  const name = k.label === LOG_KEY_LABEL ? `the log key ${k.arn}` : `${k.label} ${k.arn}`;
  const problems =
    a === null
      ? [
          `the alias ${k.aliasName} does not exist in ${k.scope.account}/${k.scope.region}; create it (aws kms create-alias --alias-name ${k.aliasName} --target-key-id ${k.arn})`,
        ]
      : a.targetKeyId !== want.targetKeyId
        ? [
            `the alias ${k.aliasName} points at ${a.targetKeyId ? `key ${a.targetKeyId}` : "no key"}, not at ${name}; point it back (aws kms update-alias --alias-name ${k.aliasName} --target-key-id ${k.arn})`,
          ]
        : [];
  return verdict(metadata, k.scope, want, a ?? null, problems, `The alias ${k.aliasName} points at ${name}.`);
}

/** One finding per key (resource = the key's ARN). */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  if (!intended.keys)
    return [
      finding(metadata, keyScope(intended), {
        status: "NOT_APPLICABLE",
        intended: null,
        observed: null,
        message:
          "The audit manifest names no key aliases (it has no `keys` section: it was written before the baseline's keys were listed); deploy the stack again to publish them.",
      }),
    ];
  return baselineKeys(observed, intended).map((k) =>
    k.aliasName !== undefined
      ? judge(observed, { ...k, aliasName: k.aliasName })
      : // Only the log key can lack one: under controlTower it is the landing zone's key (the schema requires the others').
        finding(metadata, k.scope, {
          status: "NOT_APPLICABLE",
          intended: null,
          observed: "not compared",
          message: `No alias of ${k.arn} was judged: it is the AWS Control Tower landing zone's key (controlTower.kmsKeyArn), whose aliases its owner lays, and orgwarden names none for it (docs/control-tower.md).`,
        }),
  );
}
