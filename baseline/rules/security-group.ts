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
}

/** Protocol "-1"/"all" covers every port; tcp (6) covers its range; anything else never reaches SSH/RDP. */
function opened(i: Ingress, ports: number[]): number[] | "unknown" {
  if ([i.protocol, i.from, i.to].some(isUnknown) || i.cidrs.some(isUnknown)) return "unknown";
  if (!i.cidrs.some((c) => typeof c === "string" && WORLD.includes(c))) return [];
  const proto = String(i.protocol).toLowerCase();
  if (proto === "-1" || proto === "all") return ports;
  if (proto !== "tcp" && proto !== "6") return [];
  const from = Number(i.from);
  const to = Number(i.to);
  return ports.filter((p) => p >= from && p <= to);
}

function ingressesOf(type: string, props: Props): Ingress[] {
  if (type === SG_TYPES.group) {
    if (isUnknown(props.ingress)) return [{ protocol: props.ingress, from: 0, to: 0, cidrs: [] }];
    return asList(props.ingress).map((r) => {
      const x = asRecord(r) ?? {};
      return { protocol: x.protocol, from: x.fromPort, to: x.toPort, cidrs: [...asList(x.cidrBlocks), ...asList(x.ipv6CidrBlocks)] };
    });
  }
  if (type === SG_TYPES.rule) {
    if (props.type !== "ingress") return [];
    return [{ protocol: props.protocol, from: props.fromPort, to: props.toPort, cidrs: [...asList(props.cidrBlocks), ...asList(props.ipv6CidrBlocks)] }];
  }
  return [{ protocol: props.ipProtocol, from: props.fromPort ?? 0, to: props.toPort ?? 65535, cidrs: [props.cidrIpv4, props.cidrIpv6].filter((c) => c !== undefined) }];
}

/** Policy 20. */
export function noWorldAdminPorts(type: string, props: Props, cfg: AdminPortsConfig): ResourceVerdict {
  const out: string[] = [];
  for (const i of ingressesOf(type, props)) {
    const o = opened(i, cfg.ports);
    if (o === "unknown") out.push(setting("an ingress rule's protocol, ports or CIDR"));
    else if (o.length) out.push(`remove the ingress that opens port ${o.join(" and ")} to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager`);
  }
  return { violations: [...new Set(out)] };
}
