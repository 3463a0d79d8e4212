/**
 * The security-baseline SCPs exactly as each example stack plans them (the content of the captured
 * aws:organizations/policy:Policy resources), proven with the IAM simulator. Every caller is a role
 * session in a member account with an AdministratorAccess-like identity policy, so whatever is
 * denied, an SCP denies. Each row is one fact.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../baseline";
import { allowAll, ORG, roleCaller, simulate, type IamCaller } from "../helpers/iam-sim";
import { EXPECTED } from "./expected";
import { one, runStack, STACKS } from "./stack";

const POLICIES = ["logging-scp-policy", "logging-scp-detection-policy", "logging-scp-identity-policy"];
const STACKSET_ROLE = "stacksets-exec-0123456789abcdef0123456789abcdef";
const R = ORG.region;

function admin(accountId: string, roleName = "Admin"): IamCaller {
  return roleCaller({ accountId, roleName, identityPolicies: [allowAll()] });
}

/** A role at a path: aws:PrincipalArn carries the path, the session ARN does not. */
function pathRole(accountId: string, path: string, name: string): IamCaller {
  const c = roleCaller({ accountId, roleName: `${path}${name}`, identityPolicies: [allowAll()] });
  return { ...c, principal: `arn:aws:sts::${accountId}:assumed-role/${name}/session` };
}

interface Row {
  action: string;
  resource: string;
  account: string;
  context?: Record<string, string | string[]>;
}

describe.each(STACKS)("generated %s SCPs under simulation", (stack) => {
  const x = EXPECTED[stack];
  const member = ORG.member;
  const la = x.logArchiveId;
  const sec = x.securityId;
  let scps: PolicyDocument[];
  beforeAll(async () => {
    const run = await runStack(stack);
    scps = POLICIES.map(
      (n) => JSON.parse(one(run, "aws:organizations/policy:Policy", n).inputs.content as string) as PolicyDocument,
    );
  });
  const run = (caller: IamCaller, r: Row) =>
    simulate({ caller, action: r.action, resource: r.resource, resourceAccount: r.account, scps, context: r.context });

  const recorder = `arn:aws:config:${R}:${member}:configuration-recorder/orgwarden/abcd1234efgh5678`;
  const stackSetStack = `arn:aws:cloudformation:${R}:${member}:stack/StackSet-orgwarden-member-baseline-6d1c2f0e-1b2a-4c3d-8e9f-0a1b2c3d4e5f/7f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
  const manifest = `arn:aws:ssm:${R}:${sec}:parameter/orgwarden/${stack}/audit-manifest`;
  const detector = `arn:aws:guardduty:${R}:${sec}:detector/12abc34d567e8fa901bc2d34e56789f0`;
  const protectedKey = { "aws:ResourceTag/orgwarden:protected": "true" };
  /** An association's ARN ends in the id State Manager generates; the template tags ours orgwarden:protected=true. */
  const association = `arn:aws:ssm:${R}:${member}:association/0d1c2b3a-4f5e-6d7c-8b9a-0f1e2d3c4b5a`;

  /** The shared query logging configuration and its RAM share (log-archive account), both tagged orgwarden:protected=true. */
  const queryLogConfig = `arn:aws:route53resolver:${R}:${la}:resolver-query-log-config/rqlc-0a1b2c3d4e5f6a7b`;
  const queryLogShare = `arn:aws:ram:${R}:${la}:resource-share/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;

  const denied: [string, Row][] = [
    [
      "DenyTaggedResourceTampering",
      {
        action: "route53resolver:DisassociateResolverQueryLogConfig",
        resource: queryLogConfig,
        account: la,
        context: protectedKey,
      },
    ],
    ...["route53resolver:DeleteResolverQueryLogConfig", "route53resolver:UntagResource"].map(
      (action): [string, Row] => [
        "DenyTaggedResourceTampering",
        { action, resource: queryLogConfig, account: la, context: protectedKey },
      ],
    ),
    ...["ram:DisassociateResourceShare", "ram:DeleteResourceShare", "ram:UpdateResourceShare", "ram:UntagResource"].map(
      (action): [string, Row] => [
        "DenyTaggedResourceTampering",
        { action, resource: queryLogShare, account: la, context: protectedKey },
      ],
    ),
    ["DenyLoggingTampering", { action: "config:PutConfigurationRecorder", resource: recorder, account: member }],
    ["DenyLoggingTampering", { action: "config:PutDeliveryChannel", resource: "*", account: member }],
    ["DenyLoggingTampering", { action: "config:PutRetentionConfiguration", resource: "*", account: member }],
    ["DenyLoggingTampering", { action: "config:DeleteRetentionConfiguration", resource: "*", account: member }],
    ["DenyLoggingTampering", { action: "config:StopConfigurationRecorder", resource: recorder, account: member }],
    ["DenyLoggingTampering", { action: "organizations:LeaveOrganization", resource: "*", account: member }],
    [
      "DenyLoggingTampering",
      {
        action: "cloudtrail:StopLogging",
        resource: `arn:aws:cloudtrail:${R}:${member}:trail/team-trail`,
        account: member,
      },
    ],
    [
      "DenyLogBucketTampering",
      {
        action: "s3:DeleteObject",
        resource: `arn:aws:s3:::${x.configBucket}/AWSLogs/${member}/Config/${R}/2026/12/1/ConfigHistory/h.json.gz`,
        account: la,
      },
    ],
    [
      "DenyLogBucketTampering",
      {
        action: "s3:DeleteObjectVersion",
        resource: `arn:aws:s3:::${x.configBucket}/AWSLogs/${member}/Config/${R}/2026/12/1/ConfigHistory/h.json.gz`,
        account: la,
      },
    ],
    [
      "DenyLogBucketTampering",
      {
        action: "s3:DeleteObject",
        resource: `arn:aws:s3:::${x.accessLogs}/${x.archive}/2026-12-01-00-00-00-ABCDEF0123456789`,
        account: la,
      },
    ],
    [
      "DenyLogBucketTampering",
      {
        action: "s3:DeleteObjectVersion",
        resource: `arn:aws:s3:::${x.accessLogs}/${x.archive}/2026-12-01-00-00-00-ABCDEF0123456789`,
        account: la,
      },
    ],
    [
      "DenyLogBucketTampering",
      { action: "s3:PutBucketLogging", resource: `arn:aws:s3:::${x.configBucket}`, account: la },
    ],
    [
      "DenyTaggedResourceTampering",
      {
        action: "kms:UntagResource",
        resource: `arn:aws:kms:${R}:${la}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        account: la,
        context: { ...protectedKey, "aws:TagKeys": ["orgwarden:protected"] },
      },
    ],
    [
      "DenyTaggedResourceTampering",
      {
        action: "kms:TagResource",
        resource: `arn:aws:kms:${R}:${sec}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        account: sec,
        context: { ...protectedKey, "aws:TagKeys": ["orgwarden:protected"] },
      },
    ],
    ...["ssm:DeleteAssociation", "ssm:UpdateAssociation", "ssm:RemoveTagsFromResource"].map((action): [string, Row] => [
      "DenyTaggedResourceTampering",
      { action, resource: association, account: member, context: protectedKey },
    ]),
    [
      "DenyDetectionTampering",
      { action: "guardduty:CreateFilter", resource: `${detector}/filter/auto-archive-everything`, account: sec },
    ],
    [
      "DenyDetectionTampering",
      { action: "guardduty:UpdateFilter", resource: `${detector}/filter/auto-archive-everything`, account: sec },
    ],
    ["DenyDetectionTampering", { action: "guardduty:UpdateDetector", resource: detector, account: sec }],
    ["DenyDetectionTampering", { action: "guardduty:CreateIPSet", resource: "*", account: sec }],
    ["DenyDetectionTampering", { action: "guardduty:UpdateOrganizationConfiguration", resource: "*", account: sec }],
    [
      "DenyDetectionTampering",
      {
        action: "securityhub:BatchDisableStandards",
        resource: `arn:aws:securityhub:${R}:${sec}:hub/default`,
        account: sec,
      },
    ],
    ...[
      "events:DisableRule",
      "events:DeleteRule",
      "events:PutRule",
      "events:RemoveTargets",
      "events:PutTargets",
    ].flatMap((action): [string, Row][] => [
      [
        "DenyBaselineRuleAndDocumentTampering",
        { action, resource: `arn:aws:events:${R}:${member}:rule/orgwarden-forward-findings`, account: member },
      ],
      [
        "DenyBaselineRuleAndDocumentTampering",
        { action, resource: `arn:aws:events:${R}:${member}:rule/orgwarden-forward-cis-events-1`, account: member },
      ],
    ]),
    // The head and every part (<head>/part-2 … /part-6): rewriting, deleting or re-tagging any of them is tampering.
    ...[manifest, ...[2, 3, 4, 5, 6].map((i) => `${manifest}/part-${i}`)].flatMap((resource): [string, Row][] =>
      [
        "ssm:PutParameter",
        "ssm:DeleteParameter",
        "ssm:DeleteParameters",
        // The orgwarden:manifest-sha256 tag pins what infra wrote: changing or removing it is tampering too.
        "ssm:AddTagsToResource",
        "ssm:RemoveTagsFromResource",
      ].map((action): [string, Row] => ["DenyManifestTampering", { action, resource, account: sec }]),
    ),
    ...[
      "iam:DeleteRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:PutRolePolicy",
      "iam:AttachRolePolicy",
      "iam:DetachRolePolicy",
      "iam:DeleteRolePolicy",
      "iam:UpdateRole",
    ].map((action): [string, Row] => [
      "DenyProtectedRoleTampering",
      { action, resource: `arn:aws:iam::${member}:role/orgwarden-audit-read`, account: member },
    ]),
    [
      "DenyProtectedRoleTampering",
      {
        action: "iam:DeleteRolePolicy",
        resource: `arn:aws:iam::${member}:role/orgwarden-event-forwarder`,
        account: member,
      },
    ],
    // Whoever rewrote these two could enter the only role that decrypts the logs.
    ...["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy"].flatMap((action): [string, Row][] =>
      ["orgwarden-audit-agent", "orgwarden-log-auditor"].map((role) => [
        "DenyProtectedRoleTampering",
        { action, resource: `arn:aws:iam::${sec}:role/${role}`, account: sec },
      ]),
    ),
    [
      "DenyProtectedRoleTampering",
      {
        action: "iam:UpdateAssumeRolePolicy",
        resource: `arn:aws:iam::${member}:role/${STACKSET_ROLE}`,
        account: member,
      },
    ],
    [
      "DenyProtectedRoleTampering",
      { action: "iam:CreateRole", resource: `arn:aws:iam::${member}:role/stacksets-exec-lookalike`, account: member },
    ],
    [
      "DenyProtectedRoleTampering",
      { action: "iam:CreateRole", resource: `arn:aws:iam::${member}:role/stacksets-exec-x/evil`, account: member },
    ],
    [
      "DenyProtectedRoleTampering",
      { action: "iam:CreateRole", resource: `arn:aws:iam::${member}:role/orgwarden-break-glass`, account: member },
    ],
    // The network automation the member template lays in every account: its documents, its CreateVpc rule, its roles.
    ...[
      "ssm:CreateDocument",
      "ssm:DeleteDocument",
      "ssm:UpdateDocument",
      "ssm:UpdateDocumentDefaultVersion",
      "ssm:UpdateDocumentMetadata",
      "ssm:ModifyDocumentPermission",
    ].flatMap((action): [string, Row][] =>
      ["orgwarden-AssociateVpcsDnsQueryLogs", "orgwarden-EnableVpcFlowLogs"].map((doc) => [
        "DenyBaselineRuleAndDocumentTampering",
        { action, resource: `arn:aws:ssm:${R}:${member}:document/${doc}`, account: member },
      ]),
    ),
    ...["events:DisableRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"].map(
      (action): [string, Row] => [
        "DenyBaselineRuleAndDocumentTampering",
        {
          action,
          resource: `arn:aws:events:${R}:${member}:rule/orgwarden-associate-new-vpc-dns-query-logs`,
          account: member,
        },
      ],
    ),
    ...[
      "iam:UpdateAssumeRolePolicy",
      "iam:PutRolePolicy",
      "iam:AttachRolePolicy",
      "iam:DeleteRole",
      "iam:CreateRole",
    ].flatMap((action): [string, Row][] =>
      [
        "orgwarden-dns-query-log-association",
        "orgwarden-dns-query-log-association-events",
        "orgwarden-flow-log-remediation",
      ].map((role) => [
        "DenyProtectedRoleTampering",
        { action, resource: `arn:aws:iam::${member}:role/${role}`, account: member },
      ]),
    ),
    ["DenyBaselineStackTampering", { action: "cloudformation:DeleteStack", resource: stackSetStack, account: member }],
    ["DenyBaselineStackTampering", { action: "cloudformation:UpdateStack", resource: stackSetStack, account: member }],
    [
      "DenyBaselineStackTampering",
      {
        action: "cloudformation:DeleteStack",
        resource: `arn:aws:cloudformation:${R}:${la}:stack/orgwarden-member-baseline/7f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
        account: la,
      },
    ],
    [
      "DenyBaselineStackTampering",
      {
        action: "cloudformation:DeleteStackInstances",
        resource: `arn:aws:cloudformation:${R}:${x.mgmt}:stackset/orgwarden-member-baseline:6d1c2f0e-1b2a-4c3d-8e9f-0a1b2c3d4e5f`,
        account: x.mgmt,
      },
    ],
  ];

  it("a member account's admin cannot take its VPC out of the shared query logging configuration", async () => {
    const o = await simulate({
      caller: admin(member),
      action: "route53resolver:DisassociateResolverQueryLogConfig",
      resource: queryLogConfig,
      resourceAccount: la,
      scps,
      context: protectedKey,
    });
    expect(o.scpResult).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual(["scp:DenyTaggedResourceTampering"]);
  });

  it.each(denied)("a member admin is explicitly denied by %s: %o", async (sid, r) => {
    const o = await run(admin(r.account === x.mgmt ? sec : r.account), r);
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("ExplicitlyDenied");
    expect(o.explicitDenials).toEqual([`scp:${sid}`]);
  });

  const untouched: Row[] = [
    // A member's own (untagged) query logging configuration stays its own to manage.
    {
      action: "route53resolver:DisassociateResolverQueryLogConfig",
      resource: `arn:aws:route53resolver:${R}:${member}:resolver-query-log-config/rqlc-9f8e7d6c5b4a3f2e`,
      account: member,
    },
    {
      action: "ram:DeleteResourceShare",
      resource: `arn:aws:ram:${R}:${member}:resource-share/team-share`,
      account: member,
    },
    { action: "s3:DeleteObject", resource: `arn:aws:s3:::team-data-${member}/report.csv`, account: member },
    { action: "events:DisableRule", resource: `arn:aws:events:${R}:${member}:rule/team-nightly`, account: member },
    // A team's own Automation documents, and a look-alike of ours, stay theirs.
    { action: "ssm:UpdateDocument", resource: `arn:aws:ssm:${R}:${member}:document/team-runbook`, account: member },
    {
      action: "ssm:DeleteDocument",
      resource: `arn:aws:ssm:${R}:${member}:document/orgwarden-EnableVpcFlowLogs-copy`,
      account: member,
    },
    { action: "ssm:PutParameter", resource: `arn:aws:ssm:${R}:${sec}:parameter/team/setting`, account: sec },
    // Siblings of the head are not its parts: only what lies under it, and the head itself, are protected.
    { action: "ssm:PutParameter", resource: `${manifest}-old`, account: sec },
    { action: "ssm:DeleteParameter", resource: `${manifest}-part-2`, account: sec },
    {
      action: "ssm:PutParameter",
      resource: `arn:aws:ssm:${R}:${sec}:parameter/orgwarden/${stack}/other`,
      account: sec,
    },
    { action: "iam:CreateRole", resource: `arn:aws:iam::${member}:role/app-role`, account: member },
    { action: "iam:DeleteRole", resource: `arn:aws:iam::${member}:role/app-role`, account: member },
    {
      action: "cloudformation:DeleteStack",
      resource: `arn:aws:cloudformation:${R}:${member}:stack/team-app/7f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
      account: member,
    },
    {
      action: "kms:TagResource",
      resource: `arn:aws:kms:${R}:${member}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      account: member,
      context: { "aws:TagKeys": ["cost-center"] },
    },
    {
      action: "ssm:DeleteAssociation",
      resource: `arn:aws:ssm:${R}:${member}:association/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d`,
      account: member,
    },
  ];

  it.each(untouched)("a member admin keeps what the SCPs do not protect: %o", async (r) => {
    const o = await run(admin(r.account), r);
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("Allowed");
    expect(o.explicitDenials).toEqual([]);
  });

  const exempt: [string, Row][] = [
    [STACKSET_ROLE, { action: "config:PutConfigurationRecorder", resource: recorder, account: member }],
    [STACKSET_ROLE, { action: "config:PutDeliveryChannel", resource: "*", account: member }],
    [STACKSET_ROLE, { action: "cloudformation:UpdateStack", resource: stackSetStack, account: member }],
    [
      STACKSET_ROLE,
      { action: "iam:PutRolePolicy", resource: `arn:aws:iam::${member}:role/orgwarden-audit-read`, account: member },
    ],
    [STACKSET_ROLE, { action: "ssm:UpdateAssociation", resource: association, account: member, context: protectedKey }],
    [
      "OrganizationAccountAccessRole",
      {
        action: "route53resolver:DisassociateResolverQueryLogConfig",
        resource: queryLogConfig,
        account: la,
        context: protectedKey,
      },
    ],
    [
      STACKSET_ROLE,
      {
        action: "events:PutRule",
        resource: `arn:aws:events:${R}:${member}:rule/orgwarden-forward-findings`,
        account: member,
      },
    ],
    ["OrganizationAccountAccessRole", { action: "ssm:PutParameter", resource: manifest, account: sec }],
    ["OrganizationAccountAccessRole", { action: "ssm:PutParameter", resource: `${manifest}/part-6`, account: sec }],
    ["OrganizationAccountAccessRole", { action: "guardduty:UpdateDetector", resource: detector, account: sec }],
    [
      "OrganizationAccountAccessRole",
      { action: "iam:CreateRole", resource: `arn:aws:iam::${member}:role/orgwarden-break-glass`, account: member },
    ],
    [
      "orgwarden-break-glass",
      {
        action: "s3:DeleteObjectVersion",
        resource: `arn:aws:s3:::${x.configBucket}/AWSLogs/${member}/Config/x.json.gz`,
        account: la,
      },
    ],
    [
      "orgwarden-break-glass",
      {
        action: "cloudtrail:StopLogging",
        resource: `arn:aws:cloudtrail:${R}:${member}:trail/team-trail`,
        account: member,
      },
    ],
  ];

  it.each(exempt)("the exempt role %s passes every SCP: %o", async (roleName, r) => {
    const o = await run(admin(r.account, roleName), r);
    expect(o.scpApplied).toBe(true);
    expect(o.scpResult).toBe("Allowed");
    expect(o.explicitDenials).toEqual([]);
  });

  it.each([
    { action: "config:PutConfigurationRecorder", resource: recorder, account: member },
    { action: "s3:GetObject", resource: `arn:aws:s3:::team-data-${member}/report.csv`, account: member },
  ])(
    "a role at path /stacksets-exec-x/ (matching stacksets-exec-* only through its path) is denied everything: %o",
    async (r) => {
      const o = await run(pathRole(member, "stacksets-exec-x/", "evil"), r);
      expect(o.scpResult).toBe("ExplicitlyDenied");
      expect(o.explicitDenials).toEqual(["scp:DenyPathLookalikeRoles"]);
    },
  );

  it("a StackSets execution role at path / is not caught by the look-alike statement", async () => {
    const o = await run(admin(member, STACKSET_ROLE), {
      action: "s3:GetObject",
      resource: `arn:aws:s3:::team-data-${member}/report.csv`,
      account: member,
    });
    expect(o.scpResult).toBe("Allowed");
  });
});
