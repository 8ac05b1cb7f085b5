export { openDatabase, redactUrl, serverVersion } from "./db.js";
export type { Database, OpenDatabaseOptions } from "./db.js";
export { migrate, loadMigrations } from "./migrate.js";
export type { Migration } from "./migrate.js";
export { startEmbedded, liveServerPort } from "./embedded.js";
export type { EmbeddedServer } from "./embedded.js";
export { ensureProject, projectIdFor } from "./queries/projects.js";
export type { ProjectRow } from "./queries/projects.js";
