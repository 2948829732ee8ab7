#!/usr/bin/env bash
# Start a one-node Slurm cluster (Slurm 22.05 from Debian bookworm) on this machine, for CI:
# no systemd, no cgroups, no accounting. The node is `localhost` (127.0.0.1) with every core of
# the machine, in one partition `debug`; jobs run as the user who submits them (CI: root).
#
# Idempotent: installs what is missing, writes the configuration (restarting the daemons if it
# changed), starts munged, slurmctld and slurmd if they are not running, and waits until the
# node is idle. The daemons detach and outlive this script; `.ci/slurm-stop.sh` stops them.
#
# Environment (all optional):
#   SLURM_CI_CPUS        CPUs of the node (default: nproc)
#   SLURM_CI_MEMORY_MB   RealMemory of the node in MiB (default: 90 % of MemTotal)
#   SLURM_CI_TIMEOUT     seconds to wait for the node to be idle (default: 60)
set -euo pipefail
# slurmctld, slurmd and munged are in /usr/sbin
export PATH="$PATH:/usr/sbin:/sbin"

t0=$(date +%s%N)

conf_dir=/etc/slurm
conf="$conf_dir/slurm.conf"
spool=/var/spool/slurm
logs=/var/log/slurm
ctld_pid=/run/slurmctld.pid
d_pid=/run/slurmd.pid
munge_key=/etc/munge/munge.key
munge_log=/var/log/munge/munged.log
timeout="${SLURM_CI_TIMEOUT:-60}"

say() { printf 'slurm-cluster: %s\n' "$*"; }

# --- install -------------------------------------------------------------------------------
if ! command -v sbatch >/dev/null 2>&1 || ! command -v slurmctld >/dev/null 2>&1 ||
    ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    say "installing slurm-wlm and munge"
    # The packages' maintainer scripts would start the daemons through invoke-rc.d (the init.d
    # scripts, as there is no systemd): forbid that while installing, we start them ourselves.
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        trap 'rm -f "$policy"' EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurm-wlm slurm-client munge >/dev/null
    if [[ -n $(trap -p EXIT) ]]; then
        rm -f "$policy"
        trap - EXIT
    fi
fi

# --- is it running? ------------------------------------------------------------------------
# pid_alive FILE NAME: the pid in FILE is a live process called NAME
pid_alive() {
    local pid
    [[ -r $1 ]] || return 1
    pid=$(<"$1")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]]
}
munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

# stop_daemon FILE NAME: SIGTERM the daemon, wait up to 10 s for it to go
stop_daemon() {
    local pid i
    pid_alive "$1" "$2" || return 0
    pid=$(<"$1")
    kill -TERM "$pid" 2>/dev/null || true
    # the pid file goes before the process does: wait for the process itself
    for ((i = 0; i < 100; i++)); do
        [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]] || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# --- configuration -------------------------------------------------------------------------
cpus="${SLURM_CI_CPUS:-$(nproc)}"
mem_total_mb=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
memory="${SLURM_CI_MEMORY_MB:-$((mem_total_mb * 9 / 10))}"

mkdir -p "$conf_dir" "$spool/ctld" "$spool/d" "$logs"
new_conf=$(
    cat <<EOF
# Written by .ci/slurm-cluster.sh: a one-node cluster for CI. Edits are overwritten.
ClusterName=ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
SwitchType=switch/none
# no cgroups: processes are tracked through their parents, tasks are not confined
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
# no mail on this machine (without it slurmctld logs "Configured MailProg is invalid")
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# the configured CPUs and memory are taken as they are written, whatever slurmd detects
SlurmdParameters=config_overrides
ReturnToService=2
StateSaveLocation=$spool/ctld
SlurmdSpoolDir=$spool/d
SlurmctldPidFile=$ctld_pid
SlurmdPidFile=$d_pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# finished jobs stay visible to squeue/scontrol for an hour (there is no sacct)
MinJobAge=3600
# scancel and the time limit send SIGTERM, then SIGKILL this many seconds later
KillWait=30
InactiveLimit=0
SlurmctldTimeout=60
SlurmdTimeout=60
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
)
conf_changed=false
if [[ ! -f $conf ]] || [[ $(<"$conf") != "$new_conf" ]]; then
    printf '%s\n' "$new_conf" >"$conf"
    conf_changed=true
    say "wrote $conf (CPUs=$cpus RealMemory=$memory)"
fi
# no cgroup.conf: nothing here uses cgroups, and a stale one must not suggest otherwise
rm -f "$conf_dir/cgroup.conf"

if $conf_changed; then
    # a running cluster keeps its old node definitions until restarted
    stop_daemon "$d_pid" slurmd
    stop_daemon "$ctld_pid" slurmctld
fi

# --- munge ---------------------------------------------------------------------------------
if ! id munge >/dev/null 2>&1; then
    echo "slurm-cluster: no user munge (is the munge package installed?)" >&2
    exit 1
fi
install -d -o munge -g munge -m 0700 /etc/munge /var/log/munge
install -d -o munge -g munge -m 0711 /var/lib/munge
# the socket's folder: systemd's RuntimeDirectory=munge makes it elsewhere
install -d -o munge -g munge -m 0755 /run/munge
if [[ ! -s $munge_key ]]; then
    say "creating $munge_key"
    dd if=/dev/urandom of="$munge_key" bs=1024 count=1 status=none
fi
chown munge:munge "$munge_key"
chmod 0400 "$munge_key"
if ! munge_ok; then
    say "starting munged"
    # as the munge user, as its service does: munged refuses keys and folders it does not own
    runuser -u munge -- /usr/sbin/munged
    for ((i = 0; i < 50; i++)); do
        munge_ok && break
        sleep 0.1
    done
    if ! munge_ok; then
        echo "slurm-cluster: munged did not start; $munge_log:" >&2
        tail -n 30 "$munge_log" >&2 || true
        exit 1
    fi
fi

# --- slurmctld, slurmd ---------------------------------------------------------------------
if ! pid_alive "$ctld_pid" slurmctld; then
    say "starting slurmctld"
    slurmctld
fi
# without -N, slurmd looks for a node named like this machine (hostname), which is not one
if ! pid_alive "$d_pid" slurmd; then
    say "starting slurmd"
    slurmd -N localhost
fi

# --- wait for the node ---------------------------------------------------------------------
state=""
deadline=$((SECONDS + timeout))
while ((SECONDS < deadline)); do
    state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
    case "$state" in
    idle | mixed | allocated) break ;;
    esac
    sleep 0.5
done
case "$state" in
idle | mixed | allocated) ;;
*)
    {
        echo "slurm-cluster: node localhost not idle after ${timeout}s (state: '${state:-none}')"
        sinfo -N -l 2>&1 || true
        scontrol show node localhost 2>&1 || true
        for log in "$logs/slurmctld.log" "$logs/slurmd.log" "$munge_log"; do
            echo "--- tail $log"
            tail -n 40 "$log" 2>&1 || true
        done
    } >&2
    exit 1
    ;;
esac

t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
say "node localhost is $state ($cpus CPUs, ${memory} MiB), partition debug; ready in $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s"
