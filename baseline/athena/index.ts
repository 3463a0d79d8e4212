export * from "./policies";
export * from "./queries";
export * from "./results-bucket";
export * from "./tables";
export * from "./workgroup";
