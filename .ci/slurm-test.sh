#!/usr/bin/env bash
# The Slurm test of issue 20, on a one-node cluster started here (.ci/slurm-cluster.sh):
# 1. a small sweep on one machine;
# 2. the same sweep as a job array of 3 shards and a merge job (afterok), submitted with
#    deploy/slurm/submit.sh: the merged files equal the single-machine sweep's byte for byte
#    (but manifest.json and the command line report.html quotes);
# 3. one scenario's ensemble (`hinterland run`, HINTERLAND_COMMAND=run) as a job array of 2
#    shards and the merge: the merged files equal the single-machine run's, trajectories.nc
#    included;
# 4. the sweep again, with one shard's job cancelled (scancel: SIGTERM) while it runs: the
#    merge never starts (DependencyNeverSatisfied); the shard is submitted again, resumes
#    from its checkpoint, and a new merge gives the same bytes again.
# Needs root (it installs Slurm and munge from Debian's packages) and target/release/hinterland.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
started=$SECONDS

bin="$repo/target/release/hinterland"
[[ -x $bin ]] || cargo build --release
.ci/slurm-cluster.sh

work="$(mktemp -d /tmp/hinterland-slurm.XXXXXX)"
trap 'scancel --user=root >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cd "$work"

# the backup scenario of the test economy, its table path made absolute, with a sweep of 16
# points and 8 references × 6 runs
sed "s#\"../data/pymrio-test\"#\"$repo/data/pymrio-test\"#" "$repo/scenarios/test-mrio-backup.ron" |
    sed '$d' >split.ron
cat >>split.ron <<'EOF'
    sweep: Sweep(
        parameters: [
            ("backup.manufacturing-reg3.capacity_share", Between(0.0, 0.3)),
            ("shocks.blockade.duration_days.max", Between(120, 240)),
        ],
        design: Saltelli(4),
        runs_per_point: 6,
        satisficing: 1.5e8,
    ),
)
EOF
tail -c 200 "$repo/scenarios/test-mrio-backup.ron" | grep -q ')$' || {
    echo "slurm-test: test-mrio-backup.ron does not end with ')'" >&2
    exit 1
}

"$bin" -q sweep split.ron --out whole

# the files of a sweep folder but the manifest, the shards and the checkpoint, with the
# report's command line left out, as `name sha256`
digest() {
    (cd "$1" && find . -type f ! -name manifest.json ! -path './shards/*' ! -path './.*' |
        sort | while read -r f; do
        if [[ $f == ./report.html ]]; then
            printf '%s %s\n' "$f" "$(grep -v '^<pre class="command">' "$f" | sha256sum | cut -d' ' -f1)"
        else
            printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"
        fi
    done)
}
digest whole >whole.sum
[[ $(wc -l <whole.sum) -ge 10 ]] || {
    echo "slurm-test: the single-machine sweep wrote too little" >&2
    cat whole.sum >&2
    exit 1
}

# wait for job $1 to leave the queue (at most $2 seconds)
wait_gone() {
    local deadline=$((SECONDS + $2))
    while squeue -h -j "$1" 2>/dev/null | grep -q .; do
        if ((SECONDS > deadline)); then
            echo "slurm-test: job $1 still queued after $2 s" >&2
            squeue >&2
            scontrol show job "$1" >&2 || true
            return 1
        fi
        sleep 1
    done
}
state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }
ids() { grep -o 'array job [0-9]*\|merge job [0-9]*' "$1" | awk '{print $3}'; }

export HINTERLAND="$bin" LOGS="$work/logs"

# 2. array + merge
"$repo/deploy/slurm/submit.sh" split.ron split 3 --cpus-per-task=1 --time=10 | tee submit.txt
read -r array merge < <(ids submit.txt | xargs)
wait_gone "$merge" 300
[[ $(state "$merge") == COMPLETED ]] || {
    echo "slurm-test: merge job $merge: $(state "$merge")" >&2
    cat logs/* >&2
    exit 1
}
digest split >split.sum
diff whole.sum split.sum
echo "slurm-test: 3 shards merged = the single-machine sweep ($(wc -l <whole.sum) files)"

# 3. an ensemble split by (variant, run): `hinterland run --shards`
sed "s#\"../data/pymrio-test\"#\"$repo/data/pymrio-test\"#" "$repo/scenarios/test-mrio-backup.ron" >plain.ron
"$bin" -q run plain.ron --out run-whole --runs 6 --trajectories
digest run-whole >run-whole.sum
grep -q trajectories.nc run-whole.sum
HINTERLAND_COMMAND=run SWEEP_ARGS="--runs 6 --trajectories" \
    "$repo/deploy/slurm/submit.sh" plain.ron run-split 2 --cpus-per-task=1 --time=10 | tee submit3.txt
read -r array merge < <(ids submit3.txt | xargs)
wait_gone "$merge" 300
[[ $(state "$merge") == COMPLETED ]] || {
    echo "slurm-test: merge job $merge of the run: $(state "$merge")" >&2
    cat logs/* >&2
    exit 1
}
digest run-split >run-split.sum
diff run-whole.sum run-split.sum
echo "slurm-test: 2 shards of a run merged = the single-machine run ($(wc -l <run-whole.sum) files)"

# 4. one shard cancelled while it runs, then submitted again
"$repo/deploy/slurm/submit.sh" split.ron killed 3 --cpus-per-task=1 --time=10 | tee submit2.txt
read -r array merge < <(ids submit2.txt | xargs)
deadline=$((SECONDS + 120))
until compgen -G 'killed/.checkpoint/1-of-3/*.jsonl' >/dev/null; do
    ((SECONDS < deadline)) || {
        echo "slurm-test: shard 1 kept nothing in 120 s" >&2
        cat logs/* >&2
        exit 1
    }
    sleep 0.2
done
scancel "${array}_1"
wait_gone "$array" 300
[[ ! -d killed/shards/1-of-3 ]] || {
    echo "slurm-test: shard 1 finished before it could be cancelled; the test proves nothing" >&2
    exit 1
}
sleep 2
reason="$(scontrol show job "$merge" | grep -o 'Reason=[A-Za-z]*' | cut -d= -f2)"
echo "slurm-test: merge job $merge after the cancel: $(state "$merge") ($reason)"
[[ $(state "$merge") == PENDING && ! -f killed/manifest.json ]]
scancel "$merge"
grep -h 'interrupted by SIGTERM' logs/*"_1.out"
export SCENARIO="$work/split.ron" OUT="$work/killed" SHARDS=3
resubmitted="$(sbatch --parsable --export=ALL --array=1 --cpus-per-task=1 --time=10 \
    --output="$LOGS/again-%A_%a.out" "$repo/deploy/slurm/sweep-array.sbatch")"
merge="$(sbatch --parsable --export=ALL --dependency="afterok:${resubmitted%%;*}" \
    --output="$LOGS/merge-again-%j.out" "$repo/deploy/slurm/merge.sbatch")"
wait_gone "$merge" 300
[[ $(state "$merge") == COMPLETED ]] || {
    echo "slurm-test: merge after the resubmission: $(state "$merge")" >&2
    cat logs/* >&2
    exit 1
}
grep -h 'finished by an earlier attempt' logs/again-*.out
digest killed >killed.sum
diff whole.sum killed.sum
[[ ! -d killed/.checkpoint ]]
echo "slurm-test: a cancelled shard resubmitted resumed, and the merge = the single-machine sweep"
echo "slurm-test: passed in $((SECONDS - started)) s"
