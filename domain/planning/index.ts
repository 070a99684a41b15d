export * from "./renja";
export * from "./queries";
export * from "./rpjmd";
export * from "./versions";
export * from "./reconcile";
