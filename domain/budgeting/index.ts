export * from "./lines";
export * from "./machines";
export * from "./kuappas";
export * from "./rka";
export * from "./prices";
export * from "./apbd";
export * from "./realisation";
