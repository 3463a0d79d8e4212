import type { AuditManifest } from "../../../baseline";
import type { TopicIntent } from "../../../baseline/detection";
import type { ObservedTopic } from "../../collectors/detection-pipeline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, errorFinding, finding, verdict, type CheckContext, type Scope } from "../common";
import { policyDriftFindings, trustedPrincipals } from "../policy-drift";
import { isFinding, parsedPolicy, pipelineIntentOrFinding } from "../alert-pipeline-intent";

export const metadata: CheckMetadata = {
  id: "alert-topics",
  title:
    "The alert topics exist, encrypted with their own keys, with the baseline's topic policy and confirmed e-mail subscriptions",
  area: "detection-pipeline",
  severity: "HIGH",
  risk: "The CIS alarms and the central bus's rules notify these topics: a deleted topic, another key (or none), a policy that lets other principals publish or subscribe, or a subscription never confirmed means alerts are lost, forged or read by someone else while every alarm still looks configured.",
  remediation: {
    console:
      "Amazon SNS console (account <account>, region <region>) → Topics → <topic-arn>: Encryption with the key <topic-key-arn>; Access policy as the baseline's (the intended document); Subscriptions: each e-mail subscriber confirms the message SNS sent (or request confirmation again).",
    cli: "aws sns set-topic-attributes --region <region> --topic-arn <topic-arn> --attribute-name KmsMasterKeyId --attribute-value <topic-key-arn>; aws sns set-topic-attributes --region <region> --topic-arn <topic-arn> --attribute-name Policy --attribute-value file://<intended-file>; aws sns list-subscriptions-by-topic --region <region> --topic-arn <topic-arn>",
    pulumi:
      "infra/detection/alert-topic.ts lays each topic, its key, its policy and its e-mail subscriptions (detection.alerts.emails); run `pulumi up` on stack <stack>.",
    document: "topic-policy",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
    "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
    "https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html",
    "https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html",
  ],
};

/** KmsMasterKeyId holds what was set: infra sets the key's ARN; the bare key id names the same key. */
function sameKey(observed: string | undefined, keyArn: string): boolean {
  return observed === keyArn || observed === keyArn.split("/").pop();
}

function settingsProblems(t: ObservedTopic, want: TopicIntent, attrs: { kmsMasterKeyId?: string }): string[] {
  const p: string[] = [];
  const topic = `topic ${want.arn}`;
  if (!attrs.kmsMasterKeyId)
    p.push(`${topic} is not encrypted (no KmsMasterKeyId); the baseline encrypts it with ${want.keyArn}`);
  else if (!sameKey(attrs.kmsMasterKeyId, want.keyArn))
    p.push(`${topic} is encrypted with ${attrs.kmsMasterKeyId}, not with its own key ${want.keyArn}`);
  const subs = t.subscriptions.ok ? t.subscriptions.value : [];
  for (const email of want.emails) {
    const s = subs.find((x) => x.protocol === "email" && x.endpoint?.toLowerCase() === email.toLowerCase());
    if (!s) p.push(`${topic} has no e-mail subscription for ${email}`);
    else if (s.subscriptionArn === "PendingConfirmation")
      p.push(
        `the e-mail subscription of ${email} to ${topic} is PendingConfirmation: it was never confirmed, so no alert reaches it`,
      );
  }
  const extra = subs.filter(
    (x) => !(x.protocol === "email" && want.emails.some((e) => e.toLowerCase() === x.endpoint?.toLowerCase())),
  );
  if (extra.length > 0)
    p.push(
      `${topic} also delivers to ${extra.map((x) => `${x.protocol ?? "?"}:${x.endpoint ?? "?"}`).join(", ")}, which the baseline does not subscribe`,
    );
  return p;
}

function judge(o: ObservedState, m: AuditManifest, want: TopicIntent, t: ObservedTopic | undefined): Finding[] {
  const scope: Scope = { account: want.accountId, region: want.region, resourceArn: want.arn };
  const intended = { topicArn: want.arn, keyArn: want.keyArn, emails: want.emails };
  if (!t)
    return [
      errorFinding(
        metadata,
        scope,
        {
          name: "NotCollected",
          operation: "GetTopicAttributes",
          service: "sns",
          message: `the observed state holds no reading of ${want.arn}`,
        },
        intended,
      ),
    ];
  const stop = blocked(metadata, o, scope, intended, t.attributes, t.subscriptions);
  if (stop) return [stop];
  const attrs = t.attributes.ok ? t.attributes.value : undefined;
  if (!attrs)
    return [
      verdict(
        metadata,
        scope,
        intended,
        null,
        [`topic ${want.arn} does not exist: nothing it should deliver reaches anyone`],
        "",
      ),
    ];
  const settings = verdict(
    metadata,
    scope,
    intended,
    { kmsMasterKeyId: attrs.kmsMasterKeyId, subscriptions: t.subscriptions.ok ? t.subscriptions.value : [] },
    settingsProblems(t, want, attrs),
    `Topic ${want.arn} is encrypted with its own key ${want.keyArn}; ${want.emails.length === 0 ? "the baseline subscribes no e-mail address (detection.alerts.emails is empty) and nothing else is subscribed" : `every e-mail subscriber (${want.emails.length}) is subscribed and confirmed, nothing else is`}.`,
  );
  const policyScope = { ...scope, key: "policy" };
  const doc = parsedPolicy(attrs.policy);
  const policy =
    typeof doc === "string"
      ? [
          finding(metadata, policyScope, {
            status: "FAIL",
            intended: want.policy,
            observed: attrs.policy ?? null,
            message: `Topic ${want.arn} ${doc}; restore the baseline's policy (only the account's alarms and EventBridge rules publish).`,
          }),
        ]
      : policyDriftFindings(
          metadata,
          policyScope,
          `The policy of topic ${want.arn}`,
          want.policy,
          doc,
          trustedPrincipals(o, m),
        );
  return [settings, ...policy];
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const i = pipelineIntentOrFinding(metadata, intended);
  if (isFinding(i)) return [i];
  return i.topics.flatMap((want) =>
    judge(
      observed,
      intended,
      want,
      observed.detectionPipeline?.topics.find((t) => t.arn === want.arn),
    ),
  );
}
