#!/usr/bin/env bash
# Submit a sharded hinterland sweep to Slurm: a job array of SHARDS tasks (sweep-array.sbatch,
# task I = shard I) and the merge (merge.sbatch), which runs once every shard has ended with
# exit 0.
#
#   deploy/slurm/submit.sh SCENARIO OUT SHARDS [extra sbatch args...]
#
# The extra arguments go to both jobs (--partition, --account, --qos, --mail-type, ...) and
# override the #SBATCH lines of the scripts (--cpus-per-task=8 --time=12:00:00 --mem=16G for
# the shards: then give the merge its own with MERGE_ARGS).
#
# Environment (optional):
#   HINTERLAND   the binary [default: hinterland on PATH]; a path is made absolute
#   LOGS         folder for the Slurm logs, made if missing [default: the current folder]
#   MERGE_ARGS   more sbatch arguments for the merge only, split at spaces ("--time=2:00:00")
#   SWEEP_ARGS   more options of `hinterland sweep` for every shard, split at spaces
#                ("--runs 100 --set PATH=VALUE")
#   HINTERLAND_COMMAND  sweep or run [default: sweep]: `run` splits one scenario's ensemble
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
    echo "usage: $0 SCENARIO OUT SHARDS [extra sbatch args...]" >&2
    exit 2
}
(($# >= 3)) || usage
scenario="$1"
out="$2"
shards="$3"
shift 3
[[ $shards =~ ^[1-9][0-9]*$ ]] || {
    echo "submit.sh: SHARDS must be a positive integer, not '$shards'" >&2
    exit 2
}
[[ -f $scenario ]] || {
    echo "submit.sh: no scenario file $scenario" >&2
    exit 2
}
command -v sbatch >/dev/null 2>&1 || {
    echo "submit.sh: sbatch not found (not a Slurm login node?)" >&2
    exit 2
}

# Absolute paths: the jobs run in this folder by default, but not under --chdir.
abs() { realpath -m -- "$1"; }
SCENARIO="$(abs "$scenario")"
OUT="$(abs "$out")"
SHARDS="$shards"
export SCENARIO OUT SHARDS
if [[ -n ${HINTERLAND:-} && $HINTERLAND == */* ]]; then
    HINTERLAND="$(abs "$HINTERLAND")"
    export HINTERLAND
fi

array_log=()
merge_log=()
if [[ -n ${LOGS:-} ]]; then
    mkdir -p -- "$LOGS"
    LOGS="$(abs "$LOGS")"
    array_log=(--output="$LOGS/%x-%A_%a.out")
    merge_log=(--output="$LOGS/%x-%j.out")
fi
merge_extra=()
if [[ -n ${MERGE_ARGS:-} ]]; then
    read -r -a merge_extra <<<"$MERGE_ARGS"
fi

# --parsable prints "jobid" or "jobid;cluster"; the environment (SCENARIO, OUT, SHARDS,
# HINTERLAND) goes with --export=ALL, which also keeps commas in paths intact.
array_id="$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" "${array_log[@]}" "$@" \
    "$here/sweep-array.sbatch")"
array_id="${array_id%%;*}"
merge_id="$(sbatch --parsable --export=ALL --dependency="afterok:$array_id" "${merge_log[@]}" "$@" \
    "${merge_extra[@]}" "$here/merge.sbatch")" || {
    echo "submit.sh: the array $array_id is submitted, but not the merge; cancel it with" \
        "scancel $array_id, or submit the merge by hand (deploy/slurm/merge.sbatch)" >&2
    exit 1
}
merge_id="${merge_id%%;*}"

# command lines to copy: the resubmission of one shard, a new merge
quote() {
    local a
    for a in "$@"; do printf '%q ' "$a"; done
}
env_line="$(quote SCENARIO="$SCENARIO" OUT="$OUT" SHARDS="$SHARDS")"
if [[ -n ${HINTERLAND:-} ]]; then
    env_line+="$(quote HINTERLAND="$HINTERLAND")"
fi
if [[ -n ${SWEEP_ARGS:-} ]]; then
    env_line+="$(quote SWEEP_ARGS="$SWEEP_ARGS")"
fi
if [[ -n ${HINTERLAND_COMMAND:-} ]]; then
    env_line+="$(quote HINTERLAND_COMMAND="$HINTERLAND_COMMAND")"
fi
resubmit="${env_line}sbatch --parsable --array=I $(quote "${array_log[@]}" "$@")$(quote "$here/sweep-array.sbatch")"
remerge="${env_line}sbatch --dependency=afterok:\$NEW $(quote "${merge_log[@]}" "$@" "${merge_extra[@]}")$(quote "$here/merge.sbatch")"

cat <<EOF
sweep: $SHARDS shards of $SCENARIO into $OUT${SWEEP_ARGS:+ (with $SWEEP_ARGS)}
array job $array_id: tasks ${array_id}_0 .. ${array_id}_$((SHARDS - 1)) (task I = shard I)
merge job $merge_id: runs when every task has ended with exit 0 (afterok:$array_id)
logs (unless --output was given): ${LOGS:-$PWD}/hinterland-sweep-${array_id}_I.out and
  ${LOGS:-$PWD}/hinterland-merge-$merge_id.out

watch:
  squeue -j $array_id,$merge_id
  scontrol show job $merge_id | grep -E 'JobState|Reason|Dependency'

a shard I that failed or was cancelled leaves the merge pending for ever
(Reason=DependencyNeverSatisfied). Wait until squeue no longer lists it, then run it again:
it resumes from $OUT/.checkpoint/
  NEW=\$($resubmit)
and point the merge at it (or, if it is gone, submit the merge again):
  scontrol update JobId=$merge_id Dependency=afterok:\$NEW
  $remerge
EOF
