-- kappa's initial schema. Forward-only: never edit a released migration, add a new numbered file.

CREATE TABLE projects (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  root        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE runs (
  id                  text PRIMARY KEY,
  project_id          text NOT NULL REFERENCES projects(id),
  status              text NOT NULL DEFAULT 'pending',
  spec_path           text,
  plan                jsonb NOT NULL,
  options             jsonb NOT NULL DEFAULT '{}',
  base_commit         text,
  integration_branch  text,
  cancel_requested    boolean NOT NULL DEFAULT false,
  owner               text,
  heartbeat_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  started_at          timestamptz,
  finished_at         timestamptz,
  summary             jsonb
);
CREATE INDEX runs_project_created ON runs (project_id, created_at DESC);

CREATE TABLE tasks (
  run_id            text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  id                text NOT NULL,
  position          integer NOT NULL,
  title             text NOT NULL,
  prompt            text NOT NULL,
  category          text NOT NULL,
  complexity        integer NOT NULL,
  priority          text NOT NULL,
  estimate_minutes  real NOT NULL,
  files             jsonb NOT NULL DEFAULT '[]',
  acceptance        jsonb NOT NULL DEFAULT '[]',
  requirements      jsonb NOT NULL DEFAULT '[]',
  status            text NOT NULL DEFAULT 'pending',
  attempts          integer NOT NULL DEFAULT 0,
  reason            text,
  branch            text,
  worktree          text,
  head_commit       text,
  merge_commit      text,
  merge_strategy    text,
  feedback          text,
  started_at        timestamptz,
  finished_at       timestamptz,
  duration_ms       bigint,
  PRIMARY KEY (run_id, id)
);

CREATE TABLE task_dependencies (
  run_id      text NOT NULL,
  task_id     text NOT NULL,
  depends_on  text NOT NULL,
  PRIMARY KEY (run_id, task_id, depends_on),
  FOREIGN KEY (run_id, task_id) REFERENCES tasks(run_id, id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, depends_on) REFERENCES tasks(run_id, id) ON DELETE CASCADE
);

CREATE TABLE sessions (
  id                  text PRIMARY KEY,
  run_id              text REFERENCES runs(id) ON DELETE CASCADE,
  task_id             text,
  attempt             integer NOT NULL DEFAULT 1,
  driver              text NOT NULL,
  account             text,
  model               text,
  simulated           boolean NOT NULL DEFAULT false,
  agent_session_id    text,
  status              text NOT NULL DEFAULT 'running',
  error_kind          text,
  error               text,
  summary             text,
  files_changed       jsonb NOT NULL DEFAULT '[]',
  turns               integer NOT NULL DEFAULT 0,
  started_at          timestamptz NOT NULL DEFAULT now(),
  finished_at         timestamptz,
  duration_ms         bigint
);
CREATE INDEX sessions_run_task ON sessions (run_id, task_id);

CREATE TABLE session_events (
  id          bigserial PRIMARY KEY,
  session_id  text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  seq         integer NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  kind        text NOT NULL,
  tool        text,
  text        text NOT NULL DEFAULT '',
  data        jsonb,
  UNIQUE (session_id, seq)
);

CREATE TABLE conflicts (
  id            bigserial PRIMARY KEY,
  run_id        text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  task_id       text NOT NULL,
  status        text NOT NULL DEFAULT 'open',
  files         jsonb NOT NULL DEFAULT '[]',
  base_commit   text,
  ours_commit   text,
  theirs_commit text,
  detail        jsonb NOT NULL DEFAULT '{}',
  shape_hash    text,
  strategy      text,
  resolution    jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz
);
CREATE INDEX conflicts_run_status ON conflicts (run_id, status);

CREATE TABLE merge_precedents (
  shape_hash  text PRIMARY KEY,
  strategy    text NOT NULL,
  resolution  jsonb NOT NULL,
  uses        integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE context_entries (
  id          bigserial PRIMARY KEY,
  run_id      text REFERENCES runs(id) ON DELETE CASCADE,
  task_id     text,
  kind        text NOT NULL,
  key         text NOT NULL,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX context_entries_run_key ON context_entries (run_id, key);

CREATE TABLE ledger (
  id                  bigserial PRIMARY KEY,
  run_id              text REFERENCES runs(id) ON DELETE CASCADE,
  task_id             text,
  session_id          text REFERENCES sessions(id) ON DELETE CASCADE,
  account             text,
  model               text,
  input_tokens        bigint NOT NULL DEFAULT 0,
  output_tokens       bigint NOT NULL DEFAULT 0,
  cache_read_tokens   bigint NOT NULL DEFAULT 0,
  cache_write_tokens  bigint NOT NULL DEFAULT 0,
  cost_usd            numeric(14, 6) NOT NULL DEFAULT 0,
  at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_run ON ledger (run_id);
