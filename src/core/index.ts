export * from "./errors.js";
export * from "./events.js";
export * from "./task.js";
export * from "./secrets.js";
export * from "./logger.js";
export * from "./config/index.js";
export * from "./paths.js";
export * from "./abort.js";
