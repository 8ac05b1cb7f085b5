export { configSchema, accountSchema, strategyRuleSchema, envNameFor, CONFIG_KEYS, STRATEGY_NAMES } from "./schema.js";
export type { KappaConfig, ConfigKey, AccountConfig, StrategyRule, StrategyName, VersionConflictRule } from "./schema.js";
export { loadConfig, CONFIG_FILE, MAX_YAML_ALIASES, yamlAliasLimit } from "./load.js";
export type { LoadedConfig, ConfigSource, LoadConfigOptions } from "./load.js";
export { processEnvironment } from "./env.js";
export { secretValues, SECRET_ENV_PATTERN } from "../secrets.js";
export type { Environment } from "./env.js";
