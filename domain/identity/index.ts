export * from "./roles";
export * from "./actor";
export * from "./policy";
export * from "./password";
export * from "./authenticate";
export * from "./users";
export { User, RoleAssignment } from "./user.entity";
export { MAX_FAILURES, LOCK_MS, WINDOW_MS } from "./throttle";
export * from "./queries";
