/** What the alert-pipeline checks share: the intent rebuilt from the manifest, and how a rule is judged. */
import { organizationArn, type AuditManifest, type PolicyDocument } from "../../baseline";
import { pipelineDigest, sameEventPattern, type PipelineIntent, type RuleIntent } from "../../baseline/detection";
import { pipelineIntentOf, type ObservedRule } from "../collectors/detection-pipeline";
import type { CheckMetadata, Finding } from "../finding";
import { errorFinding, finding } from "./common";

/**
 * The intent, or the one finding that says why there is none: NOT_APPLICABLE for a manifest
 * published before the detectionPipeline area; ERROR when this agent's baseline rebuilds other
 * documents than the ones infra laid (the digest differs: agent and stack are of different releases).
 */
export function pipelineIntentOrFinding(meta: CheckMetadata, m: AuditManifest): PipelineIntent | Finding {
  const scope = { account: "-", region: "global", resourceArn: organizationArn(m.organization) };
  const i = pipelineIntentOf(m);
  if (!i)
    return finding(meta, scope, {
      status: "NOT_APPLICABLE",
      intended: "detectionPipeline in the audit manifest",
      observed: null,
      message: `${meta.title}: not judged, because the audit manifest has no detectionPipeline section (it was published by an orgwarden release that did not audit the alert topics, the central bus and the forwarding rules). Run \`pulumi up\` on stack ${m.stack} to publish the current manifest; until then nothing of this check is audited.`,
    });
  const digest = pipelineDigest(i);
  if (digest !== m.detectionPipeline!.digest)
    return errorFinding(
      meta,
      scope,
      {
        name: "IntentDigestMismatch",
        operation: "rebuild detectionPipeline",
        message: `this agent's baseline rebuilds the alert pipeline's documents with digest ${digest}, but stack ${m.stack} published ${m.detectionPipeline!.digest}: the agent and the deployed stack are of different orgwarden releases, so the agent cannot know the intended topic policies, bus policy and rules. Run the agent of the release the stack was deployed with, or run \`pulumi up\``,
      },
      "the documents of the manifest's detectionPipeline digest",
    );
  return i;
}

export const isFinding = (x: unknown): x is Finding => typeof x === "object" && x !== null && "checkId" in x;

/** A policy text read from AWS, or the problem with it. */
export function parsedPolicy(text: string | undefined): PolicyDocument | string {
  if (!text) return "has no policy";
  try {
    const doc = JSON.parse(text) as PolicyDocument;
    if (!doc || typeof doc !== "object" || !("Statement" in doc)) return "has a policy without statements";
    return { ...doc, Statement: Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement] };
  } catch {
    return "has a policy that is not valid JSON";
  }
}

export interface RuleVerdict {
  problems: string[];
  /** The rule sends somewhere else than intended (its events leave the pipeline, or stop reaching it). */
  retargeted: boolean;
}

/** One rule against its intent: exists, ENABLED, same pattern by meaning, exactly the intended target. `where` names it for people. */
export function judgeRule(o: ObservedRule, want: RuleIntent, where: string): RuleVerdict {
  const rule = o.rule.ok ? o.rule.value : undefined;
  if (!rule) return { problems: [`${where} does not exist`], retargeted: false };
  const problems: string[] = [];
  if (rule.state !== "ENABLED") problems.push(`${where} is ${rule.state ?? "in no state"}, not ENABLED`);
  let pattern: unknown;
  try {
    pattern = rule.eventPattern ? JSON.parse(rule.eventPattern) : undefined;
  } catch {
    pattern = rule.eventPattern;
  }
  if (pattern === undefined) problems.push(`${where} has no event pattern`);
  else if (!sameEventPattern(want.pattern, pattern))
    problems.push(
      `${where} matches other events than the baseline's pattern (intended ${JSON.stringify(want.pattern)}, observed ${rule.eventPattern})`,
    );
  const targets = o.targets.ok ? o.targets.value : [];
  const intended = targets.filter((t) => t.arn === want.targetArn);
  const others = targets.filter((t) => t.arn !== want.targetArn);
  let retargeted = false;
  if (intended.length === 0) {
    retargeted = true;
    problems.push(`${where} does not send to ${want.targetArn}`);
  }
  if (others.length > 0) {
    retargeted = true;
    problems.push(`${where} also sends to ${others.map((t) => t.arn ?? t.id).join(", ")}, which the baseline does not`);
  }
  if (want.roleArn)
    for (const t of intended)
      if (t.roleArn !== want.roleArn)
        problems.push(`${where} delivers as ${t.roleArn ?? "no role"}, not as ${want.roleArn}`);
  return { problems, retargeted };
}
