/**
 * Plumbing for proving baseline documents with @cloud-copilot/iam-simulate (AGPL: test code only).
 *
 * A request is modelled as AWS would see it: who calls (an IAM role session or a service principal),
 * the request-context keys that caller's request really carries, the identity policies attached to
 * the caller, the resource policy of the target, and the SCPs — which bind only IAM principals of
 * member accounts, never service principals and never the management account.
 */
import {
  allowedContextKeysForRequest,
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  runUnsafeSimulation,
  type EvaluationResult,
  type RequestAnalysis,
} from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../baseline";

/** The organization every simulation runs in. */
export const ORG = {
  orgId: "o-a1b2c3d4e5",
  rootId: "r-a1b2",
  management: "111111111111",
  logArchive: "222222222222",
  security: "333333333333",
  member: "444444444444",
  /** An account outside the organization. */
  outsider: "999999999999",
  region: "us-east-1",
  trailName: "orgwarden-org-trail",
} as const;

export type ContextValues = Record<string, string | string[]>;

export interface IamCaller {
  kind: "iam";
  /** The role session ARN the request is signed with. */
  principal: string;
  roleArn: string;
  accountId: string;
  /** Organization of the caller's account; undefined for an account in no organization. */
  orgId: string | undefined;
  context: ContextValues;
  identityPolicies: PolicyDocument[];
}

export interface ServiceCaller {
  kind: "service";
  principal: string;
  context: ContextValues;
}

export type Caller = IamCaller | ServiceCaller;

export interface RoleCallerInput {
  accountId: string;
  roleName: string;
  identityPolicies: PolicyDocument[];
  /** Defaults to the organization of ORG; pass null for an account in no organization. */
  orgId?: string | null;
  secureTransport?: boolean;
}

/** An IAM role session, with the global keys AWS adds to every signed request of a role. */
export function roleCaller(i: RoleCallerInput): IamCaller {
  const roleArn = `arn:aws:iam::${i.accountId}:role/${i.roleName}`;
  const orgId = i.orgId === null ? undefined : (i.orgId ?? ORG.orgId);
  const context: ContextValues = {
    "aws:PrincipalArn": roleArn,
    "aws:PrincipalAccount": i.accountId,
    "aws:PrincipalType": "AssumedRole",
    "aws:PrincipalIsAWSService": "false",
    "aws:SecureTransport": String(i.secureTransport ?? true),
  };
  if (orgId) context["aws:PrincipalOrgID"] = orgId;
  return {
    kind: "iam",
    principal: `arn:aws:sts::${i.accountId}:assumed-role/${i.roleName}/session`,
    roleArn,
    accountId: i.accountId,
    orgId,
    context,
    identityPolicies: i.identityPolicies,
  };
}

export interface ServiceCallerInput {
  /** Service principal, e.g. cloudtrail.amazonaws.com. */
  service: string;
  sourceArn?: string;
  sourceAccount?: string;
}

/**
 * A service principal acting on a customer's behalf. It carries aws:PrincipalServiceName,
 * aws:PrincipalIsAWSService=true and the source keys, and none of aws:PrincipalArn /
 * aws:PrincipalAccount / aws:PrincipalOrgID (those exist only for IAM principals).
 */
export function serviceCaller(i: ServiceCallerInput): ServiceCaller {
  const context: ContextValues = {
    "aws:PrincipalServiceName": i.service,
    "aws:PrincipalIsAWSService": "true",
    "aws:SecureTransport": "true",
  };
  if (i.sourceArn) context["aws:SourceArn"] = i.sourceArn;
  if (i.sourceAccount) context["aws:SourceAccount"] = i.sourceAccount;
  return { kind: "service", principal: i.service, context };
}

export function allowAll(actions: string | string[] = "*"): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] };
}

/** The AWS managed FullAWSAccess SCP, attached to every root and account by default. */
export const FULL_AWS_ACCESS: PolicyDocument = allowAll("*");

export interface SimRequest {
  caller: Caller;
  action: string;
  resource: string;
  resourceAccount: string;
  /** Request-specific keys added to the caller's (s3:x-amz-acl, kms:EncryptionContext:…); a value of null removes a caller key. */
  context?: Record<string, string | string[] | null>;
  resourcePolicy?: PolicyDocument;
  /** SCPs attached to the organization root next to FullAWSAccess. */
  scps?: PolicyDocument[];
  /** The organization the SCPs belong to, when not ORG (a generated stack's own organization). */
  organization?: OrgOfScps;
}

/** What decides whom an organization's SCPs bind. */
export interface OrgOfScps {
  orgId: string;
  management: string;
}

export interface SimOutcome {
  result: EvaluationResult;
  /** Explicit denials as "<policy type>:<Sid>", e.g. "scp:DenyTrailTampering"; undefined when evaluated unvalidated. */
  explicitDenials: string[] | undefined;
  /** What granted an allowed request, as "<policy type>:<Sid or index>"; undefined when evaluated unvalidated. */
  grants: string[] | undefined;
  /** Result of the SCP layer alone ("Allowed" when no SCP binds the caller). */
  scpResult: EvaluationResult;
  scpApplied: boolean;
  analysis: RequestAnalysis | undefined;
}

/** SCPs bind IAM principals of member accounts of our organization, and nothing else. */
export function scpBinds(caller: Caller, org: OrgOfScps = ORG): boolean {
  return caller.kind === "iam" && caller.orgId === org.orgId && caller.accountId !== org.management;
}

function mergeContext(base: ContextValues, extra: SimRequest["context"]): ContextValues {
  const out: ContextValues = { ...base };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

function orgPolicies(caller: Caller, scps: PolicyDocument[] | undefined, org?: OrgOfScps) {
  if (!scps || !scpBinds(caller, org)) return [];
  const account = (caller as IamCaller).accountId;
  return [
    {
      orgIdentifier: ORG.rootId,
      policies: [
        { name: "FullAWSAccess", policy: FULL_AWS_ACCESS },
        ...scps.map((p, n) => ({ name: `scp-${n}`, policy: p })),
      ],
    },
    { orgIdentifier: account, policies: [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }] },
  ];
}

type Simulation = Parameters<typeof runSimulation>[0];

function buildSimulation(req: SimRequest, context: ContextValues, resourcePolicy: unknown): Simulation {
  const { caller } = req;
  return {
    request: {
      principal: caller.principal,
      action: req.action,
      resource: { resource: req.resource, accountId: req.resourceAccount },
      contextVariables: context,
    },
    identityPolicies:
      caller.kind === "iam" ? caller.identityPolicies.map((p, n) => ({ name: `identity-${n}`, policy: p })) : [],
    serviceControlPolicies: orgPolicies(caller, req.scps, req.organization),
    resourceControlPolicies: [],
    resourcePolicy,
  };
}

/**
 * Keys whose variable part follows a colon (kms:EncryptionContext:aws:cloudtrail:arn). iam-simulate
 * 0.1.x recognises only "/"-separated variables (aws:PrincipalTag/x) when it filters the request
 * context, so it silently drops these before evaluation; see normalizeSimulationParameters.
 */
const COLON_VARIABLE_KEY = /^kms:EncryptionContext:/i;

/** The colon-variable keys must still be ones the action defines, e.g. kms:EncryptionContext:${EncryptionContextKey}. */
async function assertColonKeysApply(req: SimRequest, keys: string[]): Promise<void> {
  const [service, action] = req.action.split(":");
  const allowed = await allowedContextKeysForRequest(service, action, req.resource, false, undefined);
  const bad = keys.filter(
    (k) => !allowed.includes(`${k.slice(0, k.indexOf(":", 4) + 1).toLowerCase()}\${encryptioncontextkey}`),
  );
  if (bad.length > 0)
    throw new Error(`simulation of ${req.action}: context keys ${bad.join(", ")} do not apply to this action`);
}

function omit(ctx: ContextValues, keys: string[]): ContextValues {
  return Object.fromEntries(Object.entries(ctx).filter(([k]) => !keys.includes(k)));
}

async function runValidated(req: SimRequest, context: ContextValues) {
  const r = await runSimulation(buildSimulation(req, context, req.resourcePolicy), { simulationMode: "Strict" });
  if (r.resultType === "error")
    throw new Error(`simulation of ${req.action} on ${req.resource} failed: ${JSON.stringify(r.errors)}`);
  if (r.resultType !== "single")
    throw new Error(`simulation of ${req.action} on ${req.resource} expanded a wildcard resource; use a concrete ARN`);
  const ignored = r.result.ignoredContextKeys ?? [];
  if (ignored.length > 0)
    throw new Error(
      `simulation of ${req.action} ignored context keys ${ignored.join(", ")}: they do not apply to this action`,
    );
  return r;
}

/**
 * runUnsafeSimulation evaluates the context as given. It loads the resource policy without a
 * name unless handed one already validated (iam-policy's ValidatedPolicy shape); the validated run
 * has checked the same document just before.
 */
function runUnvalidated(req: SimRequest, context: ContextValues): EvaluationResult {
  const resourcePolicy = req.resourcePolicy
    ? { __validated: true, policyDocument: req.resourcePolicy, metadata: { name: "resource-policy" }, errors: [] }
    : undefined;
  return runUnsafeSimulation(buildSimulation(req, context, resourcePolicy), { simulationMode: "Strict" });
}

/**
 * Runs one request in Strict mode. Throws when the simulator rejects a document or drops a
 * context key as irrelevant to the action: either means the request model, not the policy, is wrong,
 * and a test built on it would prove nothing.
 *
 * A request carrying kms:EncryptionContext:* keys is first run validated without them (documents,
 * action, resource and every other key checked), then unvalidated with them; the unvalidated engine
 * must reproduce the validated result on the stripped context, or the helper refuses to answer.
 * Such outcomes carry the result only (no statement-level analysis); their scpResult comes from the
 * stripped run, which is exact as long as no SCP conditions on an encryption context.
 */
export async function simulate(req: SimRequest): Promise<SimOutcome> {
  const full = mergeContext(req.caller.context, req.context);
  const colonKeys = Object.keys(full).filter((k) => COLON_VARIABLE_KEY.test(k));
  const stripped = omit(full, colonKeys);
  const r = await runValidated(req, stripped);
  const analysis = r.result.analysis;
  const scpApplied = orgPolicies(req.caller, req.scps, req.organization).length > 0;
  const scpResult = analysis.scpAnalysis?.result ?? "Allowed";
  if (colonKeys.length === 0) {
    return {
      result: r.overallResult,
      explicitDenials: getDenialReasons(analysis).flatMap((d) =>
        d.denialType === "Explicit" ? [`${d.policyType}:${d.statementId ?? d.statementIndex}`] : [],
      ),
      grants: getGrantReasons(analysis).map((g) => `${g.policyType}:${g.statementId ?? g.statementIndex}`),
      scpResult,
      scpApplied,
      analysis,
    };
  }
  await assertColonKeysApply(req, colonKeys);
  const control = runUnvalidated(req, stripped);
  if (control !== r.overallResult) {
    throw new Error(
      `unvalidated engine disagrees with the validated one on ${req.action} (${control} vs ${r.overallResult})`,
    );
  }
  return {
    result: runUnvalidated(req, full),
    explicitDenials: undefined,
    grants: undefined,
    scpResult,
    scpApplied,
    analysis: undefined,
  };
}
