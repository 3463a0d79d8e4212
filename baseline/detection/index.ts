export * from "./cis-filters";
export * from "./filter-pattern";
export * from "./cloudwatch-agent-config";
export * from "./documents";
export * from "./event-patterns";
export * from "./stackset-template";
export * from "./config-key-policy";
export * from "./alert-pipeline";
