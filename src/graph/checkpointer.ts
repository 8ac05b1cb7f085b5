/** LangGraph's PostgreSQL checkpointer on kappa's pool; its tables are created once, under a lock. */
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { withSetupLock, type Database } from "../knowledge/index.js";

export async function createCheckpointer(db: Database): Promise<PostgresSaver> {
  const saver = new PostgresSaver(db.pool, undefined, { schema: db.schema ?? "public" });
  // Two processes starting together must not race on CREATE TABLE.
  await withSetupLock(db.pool, "kappa-checkpointer", () => saver.setup());
  return saver;
}
