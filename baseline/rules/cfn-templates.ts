/**
 * Resources that live inside CloudFormation templates the stack deploys (aws.cloudformation.Stack
 * and StackSet `templateBody`). The baseline puts Config recorders and delivery channels there, so
 * the rules must read them, and must say so when a template cannot be read statically rather than
 * pass on what they never saw. Intrinsics are evaluated only where the answer is certain: literals,
 * `Ref` to a parameter with a known value, `Ref AWS::Region`, `Fn::Equals/And/Or/Not`, `Condition`
 * and `Fn::If`. Anything else is "unresolved" and carries the reason.
 */
import { asList, asRecord, containsUnknown, isUnknown } from "./values";
import { label, ofType, regionOf, StackResource } from "./stack-model";

export const CFN_TYPES = {
  stack: "aws:cloudformation/stack:Stack",
  stackSet: "aws:cloudformation/stackSet:StackSet",
  instance: "aws:cloudformation/stackSetInstance:StackSetInstance",
} as const;

export interface Template {
  /** The Pulumi resource holding the template. */
  holder: StackResource;
  doc: Record<string, unknown>;
  /** Regions the template is deployed to; undefined when they cannot be told statically (the reason is in `regionsUnknown`). */
  regions?: string[];
  regionsUnknown?: string;
  parameters: Record<string, unknown>;
}

export interface TemplateScan {
  templates: Template[];
  /** Templates that could not be read at all, each with the reason. */
  unreadable: string[];
}

/** Why an intrinsic could not be evaluated statically. */
export class Unresolved {
  constructor(readonly reason: string) {}
}

function regionsOf(holder: StackResource, resources: StackResource[]): { regions?: string[]; regionsUnknown?: string } {
  if (holder.type === CFN_TYPES.stack) {
    const r = regionOf(holder);
    return r === "default"
      ? { regionsUnknown: `${label(holder)} has no explicit region (no region input, no provider region)` }
      : { regions: [r] };
  }
  const name = holder.props.name;
  if (typeof name !== "string")
    return { regionsUnknown: `the name of ${label(holder)} is unknown at preview, so its instances cannot be matched` };
  const instances = ofType(resources, [CFN_TYPES.instance]).filter((i) => i.props.stackSetName === name);
  const regions = instances.map((i) => i.props.stackSetInstanceRegion ?? i.props.region);
  if (instances.length === 0)
    return {
      regionsUnknown: `${label(holder)} has no aws.cloudformation.StackSetInstance in this stack, so its regions are unknown`,
    };
  if (regions.some((r) => typeof r !== "string"))
    return { regionsUnknown: `a region of the instances of ${label(holder)} is unknown at preview` };
  return { regions: [...new Set(regions as string[])] };
}

/** Every template held by a Stack or StackSet of the stack. */
export function scanTemplates(resources: StackResource[]): TemplateScan {
  const out: TemplateScan = { templates: [], unreadable: [] };
  for (const holder of ofType(resources, [CFN_TYPES.stack, CFN_TYPES.stackSet])) {
    const body = holder.props.templateBody;
    if (body === undefined && holder.props.templateUrl !== undefined) {
      out.unreadable.push(`${label(holder)} takes its template from templateUrl, which cannot be read at preview`);
      continue;
    }
    if (containsUnknown(body)) {
      out.unreadable.push(`the templateBody of ${label(holder)} is unknown at preview`);
      continue;
    }
    let doc: Record<string, unknown> | undefined;
    try {
      doc = asRecord(typeof body === "string" ? JSON.parse(body) : body);
    } catch (e) {
      out.unreadable.push(
        `the templateBody of ${label(holder)} is not JSON (${(e as Error).message}); YAML templates are not read`,
      );
      continue;
    }
    if (!doc) {
      out.unreadable.push(`the templateBody of ${label(holder)} is not a JSON object`);
      continue;
    }
    const given = asRecord(holder.props.parameters) ?? {};
    const declared = asRecord(doc.Parameters) ?? {};
    const parameters = Object.fromEntries(
      Object.entries(declared).map(([k, d]) => [k, k in given ? given[k] : asRecord(d)?.Default]),
    );
    out.templates.push({ holder, doc, parameters, ...regionsOf(holder, resources) });
  }
  return out;
}

export interface TemplateResource {
  template: Template;
  logicalId: string;
  properties: Record<string, unknown>;
  condition?: string;
}

/** The template resources of a CloudFormation type (e.g. AWS::Config::DeliveryChannel). */
export function templateResources(scan: TemplateScan, cfnType: string): TemplateResource[] {
  return scan.templates.flatMap((template) =>
    Object.entries(asRecord(template.doc.Resources) ?? {})
      .filter(([, r]) => asRecord(r)?.Type === cfnType)
      .map(([logicalId, r]) => {
        const cond = asRecord(r)!.Condition;
        return {
          template,
          logicalId,
          properties: asRecord(asRecord(r)!.Properties) ?? {},
          condition: typeof cond === "string" ? cond : undefined,
        };
      }),
  );
}

export function where(t: TemplateResource): string {
  return `${t.logicalId} in the template of ${label(t.template.holder)}`;
}

/** The value of a template expression in `region` (undefined region: only region-independent values resolve). */
export function evaluate(v: unknown, t: Template, region: string | undefined, depth = 0): unknown {
  if (depth > 20) return new Unresolved("conditions nest too deeply");
  if (Array.isArray(v)) return v.map((x) => evaluate(x, t, region, depth + 1));
  const o = asRecord(v);
  if (!o || isUnknown(v)) return v;
  const keys = Object.keys(o);
  if (keys.length !== 1 || !(keys[0] === "Ref" || keys[0] === "Condition" || keys[0].startsWith("Fn::"))) {
    return Object.fromEntries(keys.map((k) => [k, evaluate(o[k], t, region, depth + 1)]));
  }
  const [fn] = keys;
  const arg = o[fn];
  const ev = (x: unknown) => evaluate(x, t, region, depth + 1);
  switch (fn) {
    case "Ref":
      if (arg === "AWS::Region")
        return region ?? new Unresolved("the value depends on AWS::Region and the template's regions are unknown");
      if (typeof arg === "string" && arg in t.parameters) {
        const p = t.parameters[arg];
        return p === undefined || containsUnknown(p)
          ? new Unresolved(`parameter ${arg} has no value known at preview`)
          : p;
      }
      return new Unresolved(`{"Ref":${JSON.stringify(arg)}} is only known at deployment`);
    case "Condition":
      return ev(
        asRecord(t.doc.Conditions)?.[String(arg)] ?? new Unresolved(`condition ${String(arg)} is not declared`),
      );
    case "Fn::Equals": {
      const [a, b] = asList(arg).map(ev);
      return firstUnresolved(a, b) ?? String(a) === String(b);
    }
    case "Fn::And":
    case "Fn::Or": {
      const xs = asList(arg).map(ev);
      return firstUnresolved(...xs) ?? (fn === "Fn::And" ? xs.every((x) => x === true) : xs.some((x) => x === true));
    }
    case "Fn::Not": {
      const x = ev(asList(arg)[0]);
      return x instanceof Unresolved ? x : x !== true;
    }
    case "Fn::If": {
      const [cond, a, b] = asList(arg);
      const c = ev({ Condition: cond });
      return c instanceof Unresolved ? c : ev(c === true ? a : b);
    }
    case "Fn::Sub":
      return typeof arg === "string" && !arg.includes("${")
        ? arg
        : new Unresolved(`${JSON.stringify(o)} is only known at deployment`);
    default:
      return new Unresolved(`${fn} is not evaluated at preview`);
  }
}

function firstUnresolved(...xs: unknown[]): Unresolved | undefined {
  return xs.find((x): x is Unresolved => x instanceof Unresolved);
}

/** Whether a template resource exists in `region` (its Condition, if any, evaluated). */
export function existsIn(t: TemplateResource, region: string | undefined): boolean | Unresolved {
  if (!t.condition) return true;
  const c = evaluate({ Condition: t.condition }, t.template, region);
  return c instanceof Unresolved ? c : c === true;
}
