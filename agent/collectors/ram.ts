/**
 * AWS RAM (log-archive account, each governed region): every resource share of the account that
 * holds a resource (GetResourceShareAssociations RESOURCE, by the resource's ARN), each share's
 * settings (GetResourceShares) and its principals (GetResourceShareAssociations PRINCIPAL). Only
 * associations that are or are becoming ASSOCIATED count: a DISASSOCIATED one shares nothing.
 */
import { paginateGetResourceShareAssociations, paginateGetResourceShares, type RAMClient } from "@aws-sdk/client-ram";
import { failed, type Collected, type ObservedResourceShare } from "../model";
import { attempt, drain } from "./common";

const IN_FORCE = new Set(["ASSOCIATING", "ASSOCIATED"]);

export async function collectSharesHolding(
  ram: RAMClient,
  account: string,
  region: string,
  resourceArn: string,
): Promise<Collected<ObservedResourceShare[]>> {
  const scope = (operation: string) => ({ service: "ram", operation, account, region });
  const held = await attempt(scope("GetResourceShareAssociations"), () =>
    drain(
      paginateGetResourceShareAssociations({ client: ram }, { associationType: "RESOURCE", resourceArn }),
      (p) => p.resourceShareAssociations,
    ),
  );
  if (!held.ok) return held;
  const arns = [
    ...new Set(held.value.filter((a) => IN_FORCE.has(a.status ?? "")).map((a) => a.resourceShareArn ?? "")),
  ].filter((a) => a !== "");
  if (arns.length === 0) return { ok: true, value: [] };
  const [shares, principals] = await Promise.all([
    attempt(scope("GetResourceShares"), () =>
      drain(
        paginateGetResourceShares({ client: ram }, { resourceOwner: "SELF", resourceShareArns: arns }),
        (p) => p.resourceShares,
      ),
    ),
    attempt(scope("GetResourceShareAssociations"), () =>
      drain(
        paginateGetResourceShareAssociations(
          { client: ram },
          { associationType: "PRINCIPAL", resourceShareArns: arns },
        ),
        (p) => p.resourceShareAssociations,
      ),
    ),
  ]);
  if (!shares.ok) return failed(shares.error);
  if (!principals.ok) return failed(principals.error);
  return {
    ok: true,
    value: arns.map((arn): ObservedResourceShare => {
      const s = shares.value.find((x) => x.resourceShareArn === arn);
      return {
        arn,
        name: s?.name ?? "",
        // A share RAM lists as holding the resource but does not return: reported as such, never as ACTIVE.
        status: s?.status ?? "NOT_RETURNED",
        ...(s?.allowExternalPrincipals !== undefined ? { allowExternalPrincipals: s.allowExternalPrincipals } : {}),
        principals: principals.value
          .filter((p) => p.resourceShareArn === arn && IN_FORCE.has(p.status ?? ""))
          .map((p) => ({
            id: p.associatedEntity ?? "",
            status: p.status ?? "",
            ...(p.external !== undefined ? { external: p.external } : {}),
          })),
      };
    }),
  };
}
