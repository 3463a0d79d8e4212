/** What the pipeline checks share: the manifest's `pipeline.config` area, or the finding that says it is missing. */
import { organizationArn, type AuditManifest } from "../../baseline";
import type { CheckMetadata, Finding } from "../finding";
import { finding } from "./common";

export type PipelineConfigIntent = NonNullable<NonNullable<AuditManifest["pipeline"]>["config"]>;

/**
 * A manifest published before the `pipeline` area existed names no intended delivery channel or
 * aggregator: the check cannot judge, and says so for the whole organization (never PASS).
 */
export function pipelineConfigIntent(meta: CheckMetadata, m: AuditManifest): PipelineConfigIntent | Finding {
  const c = m.pipeline?.config;
  if (c) return c;
  return finding(
    meta,
    { account: "-", region: "global", resourceArn: organizationArn(m.organization) },
    {
      status: "NOT_APPLICABLE",
      intended: "pipeline.config in the audit manifest",
      observed: null,
      message: `${meta.title}: not judged, because the audit manifest has no pipeline.config section (it was published by an orgwarden release that did not audit the Config delivery channel and aggregator). Run \`pulumi up\` on stack ${m.stack} to publish the current manifest; until then nothing of this check is audited.`,
    },
  );
}

export const isFinding = (x: PipelineConfigIntent | Finding): x is Finding => "checkId" in x;
