/** LangGraph's PostgreSQL checkpointer on kappa's pool; its tables are created once, under a lock. */
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type { Database } from "../knowledge/index.js";

export async function createCheckpointer(db: Database): Promise<PostgresSaver> {
  const saver = new PostgresSaver(db.pool, undefined, { schema: db.schema ?? "public" });
  const client = await db.pool.connect();
  try {
    // Two processes starting together must not race on CREATE TABLE.
    await client.query("SELECT pg_advisory_lock(hashtext('kappa-checkpointer'), hashtext(current_schema()))");
    await saver.setup();
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('kappa-checkpointer'), hashtext(current_schema()))").catch(() => undefined);
    client.release();
  }
  return saver;
}
