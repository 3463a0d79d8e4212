/** The rules behind the guardrails policy pack: pure functions over plain values, reusable by the agent. */
export * from "./values";
export * from "./stack-model";
export * from "./cloudtrail";
export * from "./cfn-templates";
export * from "./log-buckets";
export * from "./s3";
export * from "./kms";
export * from "./logs";
export * from "./config-recorder";
export * from "./detection";
export * from "./cis-alarms";
export * from "./scp-meaning";
export * from "./scp-rules";
export * from "./protect";
export * from "./security-group";
export * from "./object-lock";
export * from "./flow-log-bucket";
