#!/usr/bin/env bash
# Baseline for M2 overhead/raw-git: the git work of kappa's per-task pipeline, done by hand in bash.
# usage: pipeline-baseline.sh <repo> <tasks> <parallel> <worktrees-dir>
# Per task (up to <parallel> tasks at once, like kappa's sessions): read the integration head, `git worktree
# add -b`, write the task's file, `git add` + `git commit`; then, one merge at a time (flock, like kappa's
# merge mutex): `git merge-tree --write-tree`, `git commit-tree` with two parents, compare-and-swap
# `git update-ref`; finally `git worktree remove` (kappa removes merged worktrees too). Worktree add and
# remove are serialized too (see below).
set -euo pipefail
repo=$1
tasks=$2
parallel=$3
wtdir=$4
ref=refs/heads/baseline/main
git -C "$repo" update-ref "$ref" HEAD ""
mkdir -p "$wtdir"

task() {
  local id=$1
  local branch="baseline/task-$id" dir="$wtdir/task-$id"
  local from head ours tree commit
  from=$(git -C "$repo" rev-parse --verify "$ref^{commit}")
  # git 2.39 races when worktrees are added or removed at the same moment ("failed to read
  # .git/worktrees/<name>/commondir"), so those two steps take a lock of their own.
  {
    flock 8
    git -C "$repo" worktree add --quiet --no-track -b "$branch" "$dir" "$from"
  } 8>"$wtdir/worktree.lock"
  printf 'written by task %s\n' "$id" >"$dir/task-$id.txt"
  git -C "$dir" add --all
  git -C "$dir" commit --quiet --no-verify -m "task $id"
  head=$(git -C "$dir" rev-parse HEAD)
  {
    flock 9
    ours=$(git -C "$repo" rev-parse --verify "$ref^{commit}")
    tree=$(git -C "$repo" merge-tree --write-tree "$ours" "$head")
    commit=$(git -C "$repo" commit-tree "$tree" -p "$ours" -p "$head" -m "merge task $id")
    git -C "$repo" update-ref "$ref" "$commit" "$ours"
  } 9>"$wtdir/merge.lock"
  {
    flock 8
    git -C "$repo" worktree remove "$dir"
  } 8>"$wtdir/worktree.lock"
}
export -f task
export repo ref wtdir
seq -w 1 "$tasks" | xargs -P "$parallel" -I{} bash -euo pipefail -c 'task "$1"' _ {}
