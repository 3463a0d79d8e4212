/** SSM State Manager (each account × region): the associations and the status of their last execution. */
import { paginateListAssociations, type SSMClient } from "@aws-sdk/client-ssm";
import type { Collected, ObservedSsmAssociation } from "../model";
import { attempt, drain, iso, type CallScope } from "./common";

export async function collectSsmAssociations(ssm: SSMClient, account: string, region: string): Promise<Collected<ObservedSsmAssociation[]>> {
  const scope: CallScope = { service: "ssm", operation: "ListAssociations", account, region };
  return attempt(scope, async () =>
    (await drain(paginateListAssociations({ client: ssm }, {}), (p) => p.Associations)).map((a) => ({
      name: a.Name ?? "",
      associationId: a.AssociationId ?? "",
      // Overview.Status aggregates the targets of the latest execution (Success | Failed | Pending).
      status: a.Overview?.Status,
      lastExecutionDate: iso(a.LastExecutionDate),
    })),
  );
}
