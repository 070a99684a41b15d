export * from "./renja";
export * from "./queries";
