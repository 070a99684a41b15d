export * from "./renja";
