export * from "./flow-log-bucket";
export * from "./names";
