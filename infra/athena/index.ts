export * from "./log-analytics";
export * from "./names";
