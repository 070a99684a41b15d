export * from "./codes";
export * from "./sets";
export * from "./opd-bidang";
