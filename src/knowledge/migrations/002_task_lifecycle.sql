-- The task lifecycle (src/graph/task-lifecycle.ts): why a task was interrupted is a typed column, not a
-- sentence in `reason`; the status `conflict` was never set and is gone (a task waiting in review is `waiting`);
-- each session row carries the task attempt it belongs to.
ALTER TABLE tasks ADD COLUMN interrupted_by text CHECK (interrupted_by IN ('crash', 'stop'));
UPDATE tasks SET interrupted_by = 'crash' WHERE status = 'pending' AND reason LIKE 'interrupted%';
UPDATE tasks SET status = 'waiting' WHERE status = 'conflict';
ALTER TABLE tasks ADD CONSTRAINT tasks_status_known
  CHECK (status IN ('pending', 'running', 'completed', 'merged', 'failed', 'skipped', 'waiting'));
ALTER TABLE sessions ADD COLUMN task_attempt integer;
