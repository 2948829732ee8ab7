#!/usr/bin/env bash
# Stop the one-node cluster of .ci/slurm-cluster.sh: cancel every job, wait for them to end,
# then stop slurmd, slurmctld and munged (each by its pid file). Does nothing for a daemon that
# is not running. `--purge` also removes the controller's saved state and the logs, so the next
# start begins with no jobs and job ids from 1.
set -euo pipefail
# slurmctld, slurmd and munged are in /usr/sbin
export PATH="$PATH:/usr/sbin:/sbin"

spool=/var/spool/slurm
logs=/var/log/slurm
purge=false
case "${1:-}" in
--purge) purge=true ;;
"") ;;
*)
    echo "usage: $0 [--purge]" >&2
    exit 2
    ;;
esac

say() { printf 'slurm-stop: %s\n' "$*"; }

pid_alive() {
    local pid
    [[ -r $1 ]] || return 1
    pid=$(<"$1")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]]
}

stop_daemon() {
    local pid i
    pid_alive "$1" "$2" || return 0
    pid=$(<"$1")
    say "stopping $2"
    kill -TERM "$pid" 2>/dev/null || true
    # the pid file goes before the process does: wait for the process itself
    for ((i = 0; i < 100; i++)); do
        [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]] || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

if command -v scontrol >/dev/null 2>&1 && pid_alive /run/slurmctld.pid slurmctld &&
    scontrol ping >/dev/null 2>&1; then
    mapfile -t jobs < <(squeue -h -o %A -t PENDING,RUNNING,SUSPENDED,CONFIGURING,COMPLETING 2>/dev/null | sort -u)
    if ((${#jobs[@]} > 0)); then
        say "cancelling ${#jobs[@]} job(s)"
        scancel "${jobs[@]}" 2>/dev/null || true
        # a job's processes get SIGTERM, then SIGKILL after KillWait (30 s)
        for ((i = 0; i < 45 * 2; i++)); do
            [[ -z $(squeue -h -o %A 2>/dev/null -t PENDING,RUNNING,SUSPENDED,CONFIGURING,COMPLETING) ]] && break
            sleep 0.5
        done
    fi
fi

stop_daemon /run/slurmd.pid slurmd
stop_daemon /run/slurmctld.pid slurmctld
stop_daemon /run/munge/munged.pid munged

if $purge; then
    say "removing $spool/ctld, $spool/d and $logs"
    rm -rf "${spool:?}/ctld" "${spool:?}/d" "${logs:?}"/*.log
fi
say "stopped"
