/** The member template's VPC association with the shared Resolver query logging: exact resources, and cfn-lint clean. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberBaselineTemplate, memberBaselineTemplateBody } from "../../../baseline/detection";
import {
  DNS_ASSOCIATION_SCRIPT,
  dnsAssociationEventPolicy,
  dnsAssociationPolicy,
  dnsAssociationTrustPolicy,
} from "../../../baseline/network";
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from "../../../baseline";
import { TEMPLATE_INPUT } from "../detection/template-input";
import { runProcess } from "../../helpers/run";
import { MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  AssociateResolverQueryLogConfigCommand,
  CreateResolverQueryLogConfigCommand,
  ListResolverQueryLogConfigAssociationsCommand,
  Route53ResolverClient,
} from "@aws-sdk/client-route53resolver";

const CFN_LINT = join(__dirname, "../../../.venv/bin/cfn-lint");
const PYTHON = join(__dirname, "../../../.venv/bin/python");
const dir = mkdtempSync(join(tmpdir(), "orgwarden-cfn-dns-assoc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(cmd: string, args: string[]): Promise<{ status: number; output: string }> {
  const r = await runProcess(cmd, args, {});
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

async function cfnLint(name: string, body: string) {
  if (!existsSync(CFN_LINT)) throw new Error(`${CFN_LINT} is missing: run bash scripts/setup-python.sh`);
  const file = join(dir, name);
  writeFileSync(file, body);
  return run(CFN_LINT, ["--regions", "us-east-1", "eu-west-1", "--", file]);
}

const LA = "222222222222";
const DNS = { configName: "orgwarden-prod-dns-query-logs", logArchiveAccountId: LA };
const INPUT = { ...TEMPLATE_INPUT, dnsQueryLogs: DNS };
const tpl = memberBaselineTemplate(INPUT);
const R = tpl.Resources;
const AUTOMATION_ROLE_ARN = {
  "Fn::If": [
    "IsHomeRegion",
    { "Fn::GetAtt": ["DnsAssociationRole", "Arn"] },
    { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/orgwarden-dns-query-log-association" },
  ],
};

describe("member template with network.dnsQueryLogs.enabled", () => {
  it("passes cfn-lint with no finding, in either home region", async () => {
    expect(await cfnLint("dns.json", memberBaselineTemplateBody(INPUT))).toEqual({ status: 0, output: "" });
    expect(await cfnLint("dns-eu.json", memberBaselineTemplateBody({ ...INPUT, homeRegion: "eu-west-1" }))).toEqual({
      status: 0,
      output: "",
    });
  });

  it("cfn-lint reads these resources: an association without its document is an error", async () => {
    const broken = memberBaselineTemplate(INPUT);
    delete (broken.Resources.DnsAssociationDailySweep.Properties as Record<string, unknown>).Name;
    const r = await cfnLint("dns-broken.json", JSON.stringify(broken));
    expect(r.status & 2).toBe(2);
    expect(r.output).toMatch(/E3003 'Name' is a required property/);
  });

  it("the sweep's Python compiles", async () => {
    const file = join(dir, "sweep.py");
    writeFileSync(file, DNS_ASSOCIATION_SCRIPT);
    expect(await run(PYTHON, ["-m", "py_compile", file])).toEqual({ status: 0, output: "" });
  });

  it("adds exactly the two roles (home region only), the document, the CreateVpc rule and the daily association", () => {
    const base = memberBaselineTemplate(TEMPLATE_INPUT);
    const added = Object.keys(R).filter((k) => !(k in base.Resources));
    expect(Object.fromEntries(added.map((k) => [k, [R[k].Type, R[k].Condition ?? null]]))).toEqual({
      DnsAssociationRole: ["AWS::IAM::Role", "IsHomeRegion"],
      DnsAssociationEventRole: ["AWS::IAM::Role", "IsHomeRegion"],
      DnsAssociationDocument: ["AWS::SSM::Document", null],
      DnsAssociationNewVpcRule: ["AWS::Events::Rule", null],
      DnsAssociationDailySweep: ["AWS::SSM::Association", null],
    });
    for (const k of Object.keys(base.Resources)) expect(R[k], k).toEqual(base.Resources[k]);
  });

  it("the automation role: SSM of this account only, associate with the log-archive account's configuration", () => {
    expect(R.DnsAssociationRole.Properties).toEqual({
      RoleName: "orgwarden-dns-query-log-association",
      Description: "Runs the orgwarden automation that associates VPCs with the shared DNS query logging",
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "ssm.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
          },
        ],
      },
      Policies: [{ PolicyName: "associate-dns-query-logging", PolicyDocument: dnsAssociationPolicy(LA) }],
    });
    expect(dnsAssociationPolicy(LA).Statement[1].Resource).toBe(
      "arn:aws:route53resolver:*:222222222222:resolver-query-log-config/*",
    );
  });

  it("the rule's role: EventBridge of this account only, start the document and pass the automation role to SSM", () => {
    const p = R.DnsAssociationEventRole.Properties;
    expect(p.AssumeRolePolicyDocument).toEqual(
      dnsAssociationTrustPolicy("events.amazonaws.com", { Ref: "AWS::AccountId" }),
    );
    const simulated = dnsAssociationEventPolicy("${AWS::AccountId}", "orgwarden-AssociateVpcsDnsQueryLogs", "x");
    expect(simulated.Statement.map((s) => s.Sid)).toEqual(["StartTheDocument", "PassTheAutomationRole"]);
    expect(p.Policies).toEqual([
      {
        PolicyName: "start-dns-association",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "StartTheDocument",
              Effect: "Allow",
              Action: "ssm:StartAutomationExecution",
              Resource: {
                "Fn::Sub":
                  "arn:aws:ssm:*:${AWS::AccountId}:automation-definition/orgwarden-AssociateVpcsDnsQueryLogs:*",
              },
            },
            {
              Sid: "PassTheAutomationRole",
              Effect: "Allow",
              Action: "iam:PassRole",
              Resource: { "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/orgwarden-dns-query-log-association" },
              Condition: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } },
            },
          ],
        },
      },
    ]);
  });

  it("the document: Automation 0.3, one script step with the configuration's name and owner", () => {
    const d = R.DnsAssociationDocument.Properties;
    expect([d.Name, d.DocumentType, d.DocumentFormat, d.UpdateMethod]).toEqual([
      "orgwarden-AssociateVpcsDnsQueryLogs",
      "Automation",
      "JSON",
      "NewVersion",
    ]);
    const c = d.Content as { schemaVersion: string; assumeRole: string; mainSteps: Record<string, unknown>[] };
    expect([c.schemaVersion, c.assumeRole]).toEqual(["0.3", "{{ AutomationAssumeRole }}"]);
    expect(c.mainSteps).toEqual([
      {
        name: "AssociateVpcs",
        action: "aws:executeScript",
        onFailure: "Abort",
        isEnd: true,
        inputs: {
          Runtime: "python3.11",
          Handler: "handler",
          InputPayload: { ConfigName: "orgwarden-prod-dns-query-logs", OwnerAccountId: LA },
          Script: DNS_ASSOCIATION_SCRIPT,
        },
        outputs: [
          { Name: "ConfigId", Selector: "$.Payload.ConfigId", Type: "String" },
          { Name: "Associated", Selector: "$.Payload.Associated", Type: "StringList" },
        ],
      },
    ]);
  });

  it("the script pages every list call and filters on the name and the owner", () => {
    for (const s of [
      "get_paginator(operation).paginate(**kwargs)",
      '"list_resolver_query_log_configs"',
      '{"Name": "Name", "Values": [events["ConfigName"]]}',
      '{"Name": "OwnerId", "Values": [events["OwnerAccountId"]]}',
      '"list_resolver_query_log_config_associations"',
      '{"Name": "ResolverQueryLogConfigId", "Values": [config_id]}',
      'pages(ec2, "describe_vpcs", "Vpcs")',
      "r53.associate_resolver_query_log_config(ResolverQueryLogConfigId=config_id, ResourceId=vpc)",
    ])
      expect(DNS_ASSOCIATION_SCRIPT).toContain(s);
  });

  it("the CreateVpc rule starts the document's default version as the rule's role, passing the automation role", () => {
    expect(R.DnsAssociationNewVpcRule.Properties).toEqual({
      Name: "orgwarden-associate-new-vpc-dns-query-logs",
      Description: "A new VPC: associate it with the shared Resolver query logging configuration (orgwarden)",
      State: "ENABLED",
      EventPattern: {
        source: ["aws.ec2"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: { eventSource: ["ec2.amazonaws.com"], eventName: ["CreateVpc"] },
      },
      Targets: [
        {
          Id: "associate-vpcs",
          Arn: {
            "Fn::Sub":
              "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:automation-definition/${DnsAssociationDocument}:$DEFAULT",
          },
          RoleArn: {
            "Fn::If": [
              "IsHomeRegion",
              { "Fn::GetAtt": ["DnsAssociationEventRole", "Arn"] },
              {
                "Fn::Sub":
                  "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/orgwarden-dns-query-log-association-events",
              },
            ],
          },
          Input: { "Fn::Sub": ['{"AutomationAssumeRole":["${RoleArn}"]}', { RoleArn: AUTOMATION_ROLE_ARN }] },
        },
      ],
    });
  });

  it("the daily association runs the document as the automation role, tagged for the SCP", () => {
    expect(R.DnsAssociationDailySweep.Properties).toEqual({
      Name: { Ref: "DnsAssociationDocument" },
      AssociationName: "orgwarden-associate-vpcs-dns-query-logs",
      ScheduleExpression: "rate(1 day)",
      Parameters: { AutomationAssumeRole: [AUTOMATION_ROLE_ARN] },
      Tags: [{ Key: PROTECT_TAG_KEY, Value: PROTECT_TAG_VALUE }],
    });
  });

  it("without dnsQueryLogs the template has none of these resources", () => {
    const base = memberBaselineTemplate(TEMPLATE_INPUT);
    expect(Object.keys(base.Resources).filter((k) => /DnsAssociation/.test(k))).toEqual([]);
  });
});

/**
 * The sweep executed as the automation's script step would run it (boto3, the handler called with
 * the step's InputPayload), against moto's Route 53 Resolver and EC2. In one account: moto cannot
 * share a configuration with another account, so here the owner is the caller's own account.
 */
describe("the sweep against moto (one account: moto has no cross-account share)", () => {
  const moto = useMoto({ reset: "file" });
  const REGION = "eu-west-1";
  const OWNER = "123456789012"; // moto's default account
  let r53: Route53ResolverClient;
  let ec2: EC2Client;
  const sweep = async (configName: string) => {
    const file = join(dir, "sweep_step.py");
    writeFileSync(file, DNS_ASSOCIATION_SCRIPT);
    const payload = JSON.stringify({ ConfigName: configName, OwnerAccountId: OWNER });
    const r = await runProcess(
      PYTHON,
      [
        "-c",
        "import json,sys; sys.path.insert(0, sys.argv[1]); import sweep_step; print(json.dumps(sweep_step.handler(json.loads(sys.argv[2]), None)))",
        dir,
        payload,
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_ENDPOINT_URL: moto.endpoint,
          AWS_DEFAULT_REGION: REGION,
          AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
          AWS_SESSION_TOKEN: MOTO_CREDENTIALS.sessionToken,
        },
      },
    );
    return { status: r.status, out: r.stdout, err: r.stderr };
  };
  const associated = async (configId: string) =>
    (
      await r53.send(
        new ListResolverQueryLogConfigAssociationsCommand({
          Filters: [{ Name: "ResolverQueryLogConfigId", Values: [configId] }],
        }),
      )
    ).ResolverQueryLogConfigAssociations!.map((a) => [a.ResourceId, a.Status]);

  let configId = "";
  let vpcs: string[] = [];
  beforeAll(async () => {
    const config = { region: REGION, endpoint: moto.endpoint, credentials: { ...MOTO_CREDENTIALS }, maxAttempts: 1 };
    r53 = new Route53ResolverClient(config);
    ec2 = new EC2Client(config);
    const c = await r53.send(
      new CreateResolverQueryLogConfigCommand({
        Name: DNS.configName,
        DestinationArn: "arn:aws:s3:::orgwarden-prod-dns-logs-111111111111",
        CreatorRequestId: "sweep-test",
      }),
    );
    configId = c.ResolverQueryLogConfig!.Id!;
    // Another configuration of another name: never chosen.
    await r53.send(
      new CreateResolverQueryLogConfigCommand({
        Name: "someone-elses",
        DestinationArn: "arn:aws:s3:::elsewhere",
        CreatorRequestId: "other",
      }),
    );
    for (const cidr of ["10.1.0.0/16", "10.2.0.0/16"]) await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
    vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId!).sort();
    // One VPC already associated: left as it is.
    await r53.send(
      new AssociateResolverQueryLogConfigCommand({ ResolverQueryLogConfigId: configId, ResourceId: vpcs[0] }),
    );
  });
  afterAll(() => {
    r53.destroy();
    ec2.destroy();
  });

  it("associates every VPC without an association (moto's default VPC included), and only those", async () => {
    expect(vpcs.length).toBe(3);
    const r = await sweep(DNS.configName);
    expect(r.status, r.err).toBe(0);
    const out = JSON.parse(r.out) as { ConfigId: string; Associated: string[]; VpcCount: number };
    expect({ ...out, Associated: [...out.Associated].sort() }).toEqual({
      ConfigId: configId,
      Associated: vpcs.slice(1),
      VpcCount: 3,
    });
    expect((await associated(configId)).sort()).toEqual(vpcs.map((v) => [v, "ACTIVE"]));
  });

  it("a second run associates nothing", async () => {
    const r = await sweep(DNS.configName);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ ConfigId: configId, Associated: [], VpcCount: 3 });
  });

  it("fails, naming the name and owner, when no configuration matches", async () => {
    const r = await sweep("not-there");
    expect(r.status).not.toBe(0);
    expect(r.err).toContain(
      `expected exactly one query logging configuration named not-there owned by ${OWNER}, found 0`,
    );
  });
});
