/** Rule for security groups (CIS 5.2 / 5.3: no administration ports open to the world). */
import { asList, asRecord, isUnknown, ResourceVerdict, setting } from "./values";

type Props = Record<string, unknown>;

export const SG_TYPES = {
  group: "aws:ec2/securityGroup:SecurityGroup",
  rule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

const WORLD = ["0.0.0.0/0", "::/0"];

export interface AdminPortsConfig {
  ports: number[];
}

interface Ingress {
  protocol: unknown;
  from: unknown;
  to: unknown;
  cidrs: unknown[];
  /** A SecurityGroupRule whose `type` is unknown may be an ingress. */
  typeUnknown?: boolean;
}

/** A CIDR list that is itself unknown stays visible as one unknown entry, so it cannot pass as "no CIDR". */
function cidrList(...lists: unknown[]): unknown[] {
  return lists.flatMap((l) => (isUnknown(l) ? [l] : asList(l)));
}

/** The configured ports an ingress reaches: protocol "-1"/"all" covers every port; tcp (6) its range; anything else none. */
function reached(i: Ingress, ports: number[]): number[] {
  const proto = String(i.protocol).toLowerCase();
  if (proto === "-1" || proto === "all") return ports;
  if (proto !== "tcp" && proto !== "6") return [];
  return ports.filter((p) => p >= Number(i.from) && p <= Number(i.to));
}

/** The violation for one ingress, if any. Unknown CIDRs or rule type matter only where the rule reaches an admin port. */
function judge(i: Ingress, ports: number[]): string | undefined {
  if ([i.protocol, i.from, i.to].some(isUnknown)) return setting("an ingress rule's protocol, ports or CIDR");
  const hit = reached(i, ports);
  if (hit.length === 0) return undefined;
  const world = i.cidrs.some((c) => typeof c === "string" && WORLD.includes(c));
  const unknown = [
    ...(i.cidrs.some(isUnknown) ? ["CIDR blocks"] : []),
    ...(i.typeUnknown ? ["type (ingress or egress)"] : []),
  ];
  if (unknown.length && (world || i.cidrs.some(isUnknown))) {
    const verb = unknown.length === 1 && i.typeUnknown ? "is" : "are";
    return `cannot prove that port ${hit.join(" and ")} is not open to the world at preview: the rule's ${unknown.join(" and ")} ${verb} unknown; set them from literals or stack config`;
  }
  if (world)
    return `remove the ingress that opens port ${hit.join(" and ")} to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager`;
  return undefined;
}

function ingressesOf(type: string, props: Props): Ingress[] {
  if (type === SG_TYPES.group) {
    if (isUnknown(props.ingress)) return [{ protocol: props.ingress, from: 0, to: 0, cidrs: [] }];
    return asList(props.ingress).map((r) => {
      const x = asRecord(r) ?? {};
      if (isUnknown(r)) return { protocol: r, from: 0, to: 0, cidrs: [] };
      return { protocol: x.protocol, from: x.fromPort, to: x.toPort, cidrs: cidrList(x.cidrBlocks, x.ipv6CidrBlocks) };
    });
  }
  if (type === SG_TYPES.rule) {
    if (props.type !== "ingress" && !isUnknown(props.type)) return [];
    return [
      {
        protocol: props.protocol,
        from: props.fromPort,
        to: props.toPort,
        cidrs: cidrList(props.cidrBlocks, props.ipv6CidrBlocks),
        typeUnknown: isUnknown(props.type),
      },
    ];
  }
  return [
    {
      protocol: props.ipProtocol,
      from: props.fromPort ?? 0,
      to: props.toPort ?? 65535,
      cidrs: [props.cidrIpv4, props.cidrIpv6].filter((c) => c !== undefined),
    },
  ];
}

/** Policy 20. */
export function noWorldAdminPorts(type: string, props: Props, cfg: AdminPortsConfig): ResourceVerdict {
  const out: string[] = [];
  for (const i of ingressesOf(type, props)) {
    const v = judge(i, cfg.ports);
    if (v) out.push(v);
  }
  return { violations: [...new Set(out)] };
}
