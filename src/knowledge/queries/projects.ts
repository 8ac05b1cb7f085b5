import { createHash } from "node:crypto";
import type pg from "pg";

export interface ProjectRow {
  id: string;
  name: string;
  root: string;
}

/** A project's id is derived from its absolute root, so every process on the machine agrees on it. */
export function projectIdFor(root: string): string {
  return `p_${createHash("sha256").update(root).digest("hex").slice(0, 16)}`;
}

/** Creates the project row if absent; an existing project keeps its name. */
export async function ensureProject(pool: pg.Pool, root: string, name: string): Promise<ProjectRow> {
  const id = projectIdFor(root);
  await pool.query("INSERT INTO projects (id, name, root) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING", [id, name, root]);
  const { rows } = await pool.query<ProjectRow>("SELECT id, name, root FROM projects WHERE id = $1", [id]);
  return rows[0] as ProjectRow;
}
