/** SSM State Manager (each account × region): the associations and the status of their last execution. */
import { DescribeAssociationCommand, paginateListAssociations, type SSMClient } from "@aws-sdk/client-ssm";
import { failed, type Collected, type ObservedSsmAssociation } from "../model";
import { attempt, drain, iso, type CallScope } from "./common";

/** ListAssociations does not return parameters; for this document they say which package is installed. */
const PACKAGE_DOCUMENT = "AWS-ConfigureAWSPackage";

export async function collectSsmAssociations(
  ssm: SSMClient,
  account: string,
  region: string,
): Promise<Collected<ObservedSsmAssociation[]>> {
  const scope: CallScope = { service: "ssm", operation: "ListAssociations", account, region };
  const listed = await attempt(scope, async () =>
    (await drain(paginateListAssociations({ client: ssm }, {}), (p) => p.Associations)).map(
      (a): ObservedSsmAssociation => ({
        name: a.Name ?? "",
        associationId: a.AssociationId ?? "",
        // Overview.Status aggregates the targets of the latest execution (Success | Failed | Pending).
        status: a.Overview?.Status,
        lastExecutionDate: iso(a.LastExecutionDate),
      }),
    ),
  );
  if (!listed.ok) return listed;
  const out: ObservedSsmAssociation[] = [];
  for (const a of listed.value) {
    if (a.name !== PACKAGE_DOCUMENT) {
      out.push(a);
      continue;
    }
    const described = await attempt(
      { ...scope, operation: "DescribeAssociation" },
      async () =>
        (await ssm.send(new DescribeAssociationCommand({ AssociationId: a.associationId }))).AssociationDescription
          ?.Parameters ?? {},
    );
    if (!described.ok) return failed(described.error);
    out.push({ ...a, parameters: described.value });
  }
  return { ok: true, value: out };
}
