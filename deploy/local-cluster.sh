#!/usr/bin/env bash
# A real MES cluster on this machine, on loopback: PostgreSQL 15 and Mosquitto in a temporary folder, N silos, the web
# app as a pure Orleans client, and the machine simulator, each its own process on free ports.
#
#   deploy/local-cluster.sh up [--silos N] [--plant FILE] [--no-simulator] [--no-build] [--configuration C]
#   deploy/local-cluster.sh status      one line of JSON: web, mqtt, postgres, silos (name, pid, health), pids
#   deploy/local-cluster.sh down        stops exactly the processes 'up' started and removes its folder
#
# Every Mes__* and ConnectionStrings__* variable of your environment reaches the silos and the web app, and wins over
# the script's own choice (e.g. Mes__Auth__InitialAdmin__UserName/Password, Mes__Telemetry__Queue__Partitions).
# The folder (state, data, logs) is $MES_LOCAL_CLUSTER_DIR, by default ${TMPDIR:-/tmp}/mes-local-cluster.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${MES_LOCAL_CLUSTER_DIR:-${TMPDIR:-/tmp}/mes-local-cluster}"
state="$dir/state.env"
pg_bin=/usr/lib/postgresql/15/bin
ready_timeout=240

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

fail() {
  echo "local-cluster: $*" >&2
  exit 1
}

# PostgreSQL refuses to run as root: as root (CI), it runs as the postgres system user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The process's start time (clock ticks after boot): a pid is ours only while it names the process we started.
start_time() {
  [ -r "/proc/$1/stat" ] && sed 's/.*) //' "/proc/$1/stat" | awk '{print $20}'
}

alive() {
  local pid=$1 started=$2
  [ -n "$pid" ] && [ "$(start_time "$pid" 2>/dev/null)" = "$started" ]
}

port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

used_ports=" "
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    case "$used_ports" in *" $port "*) continue ;; esac
    if ! port_taken "$port"; then
      used_ports+="$port "
      echo "$port"
      return
    fi
  done
}

# The HTTP status of GET http://127.0.0.1:PORT/PATH, or nothing when nothing answers.
http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
    IFS= read -r -t 10 line <&3
    echo "$line"
  ) 2>/dev/null | awk '{print $2}'
}

wait_ready() {
  local name=$1 port=$2 pid=$3 started=$4 log=$5 deadline=$((SECONDS + ready_timeout))
  until [ "$(http_status "$port" /health/ready)" = "200" ]; do
    if ! alive "$pid" "$started"; then
      tail -n 40 "$log" >&2
      fail "$name exited before it was ready (log: $log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$log" >&2
      fail "$name did not answer /health/ready within ${ready_timeout}s (log: $log)"
    fi
    sleep 0.5
  done
}

# A setting for the apps, unless the caller's environment has it: the caller's own value reaches them and wins.
declare -a app_env=()
setting() {
  if [ -z "${!1+set}" ]; then
    app_env+=("$1=$2")
  fi
}

# Starts a program in a folder, in a session of its own (so that a closing terminal does not take it down), its
# output in a log; the subshell, setsid and env replace themselves with the program, so the pid is the program's own.
# The apps run in their build folder, their content root: appsettings.json and static assets are found there.
declare -a pids=() starts=()
launch() {
  local log=$1 folder=$2
  shift 2
  (cd "$folder" && exec setsid env "$@" </dev/null >>"$log" 2>&1) &
  local pid=$!
  local started=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    started="$(start_time "$pid" 2>/dev/null || true)"
    [ -n "$started" ] && break
    sleep 0.1
  done
  [ -n "$started" ] || fail "$* did not start (log: $log)"
  pids+=("$pid")
  starts+=("$started")
  launched_pid=$pid
  launched_start=$started
}

json_escape() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '%s' "$s"
}

# Global declarations, so that 'status' and 'down' can load them inside a function.
save_state() {
  declare -p pg_port pg_pid pg_start mqtt_port web_port connection_string \
    silo_names silo_pids silo_starts silo_ports pids starts | sed 's/^declare /declare -g /' >"$state.tmp"
  mv "$state.tmp" "$state"
}

app_dll() {
  local found
  found=$(ls "$repo/$1/bin/$configuration"/net*/"$2" 2>/dev/null | head -n 1 || true)
  [ -n "$found" ] || fail "$repo/$1/bin/$configuration/*/$2 is missing: build it (without --no-build, the script does)"
  echo "$found"
}

cmd_up() {
  local silos=2 plant="" simulator=1 build=1
  configuration=Release
  while [ $# -gt 0 ]; do
    case "$1" in
      --silos) [ $# -ge 2 ] || usage; silos=$2; shift 2 ;;
      --plant) [ $# -ge 2 ] || usage; plant=$(realpath "$2"); shift 2 ;;
      --no-simulator) simulator=0; shift ;;
      --no-build) build=0; shift ;;
      --configuration) [ $# -ge 2 ] || usage; configuration=$2; shift 2 ;;
      *) usage ;;
    esac
  done
  [[ "$silos" =~ ^[1-9]$ ]] || fail "--silos must be 1 to 9"
  [ -z "$plant" ] || [ -f "$plant" ] || fail "--plant: $plant does not exist"
  [ -x "$pg_bin/initdb" ] || fail "PostgreSQL 15 is not installed ($pg_bin; Debian package postgresql-15)"
  command -v mosquitto >/dev/null || fail "Mosquitto is not installed (Debian package mosquitto)"
  if [ -f "$state" ]; then
    fail "a cluster is already up in $dir: run '$0 down' first"
  fi
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    fail "$dir is not empty: give an empty or new folder in MES_LOCAL_CLUSTER_DIR"
  fi

  if [ "$build" -eq 1 ]; then
    echo "building ($configuration)..."
    for project in Silo WebFrontend Simulator; do
      dotnet build "$repo/$project/$project.csproj" -c "$configuration" -nologo -v q >/dev/null || fail "building $project failed: dotnet build $project/$project.csproj -c $configuration"
    done
  fi
  local silo_dll web_dll simulator_dll=""
  silo_dll=$(app_dll Silo MesOrleans.Silo.dll)
  web_dll=$(app_dll WebFrontend MesOrleans.WebFrontend.dll)
  [ "$simulator" -eq 0 ] || simulator_dll=$(app_dll Simulator MesOrleans.Simulator.dll)

  mkdir -p "$dir/logs"
  chmod 755 "$dir"
  pg_port="" pg_pid="" pg_start="" mqtt_port="" web_port="" connection_string=""
  silo_names=() silo_pids=() silo_starts=() silo_ports=()
  save_state
  trap 'echo "local-cluster: up failed; stopping what it started" >&2; cmd_down >/dev/null 2>&1 || true' EXIT

  # PostgreSQL: a fresh cluster of databases in the folder, on a free loopback port; trust on loopback only.
  pg_port=$(free_port)
  mkdir "$dir/postgres"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir/postgres"
  as_postgres "$pg_bin/initdb" -D "$dir/postgres/data" -U postgres -A trust -E UTF8 --locale=C --no-instructions >"$dir/logs/initdb.log" 2>&1 \
    || fail "initdb failed (log: $dir/logs/initdb.log)"
  printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nmax_connections = 300\n" \
    "$pg_port" "$dir/postgres" | as_postgres tee -a "$dir/postgres/data/postgresql.conf" >/dev/null
  as_postgres "$pg_bin/pg_ctl" start -D "$dir/postgres/data" -w -t 60 -l "$dir/postgres/postgres.log" >/dev/null \
    || fail "PostgreSQL did not start (log: $dir/postgres/postgres.log)"
  pg_pid=$(head -n 1 "$dir/postgres/data/postmaster.pid")
  pg_start=$(start_time "$pg_pid")
  pids+=("$pg_pid")
  starts+=("$pg_start")
  save_state
  as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres mes
  connection_string="${ConnectionStrings__Mes:-Host=127.0.0.1;Port=$pg_port;Database=mes;Username=postgres}"
  save_state
  dotnet "$silo_dll" db init "--ConnectionStrings:Mes=$connection_string" >"$dir/logs/db-init.log" 2>&1 \
    || { cat "$dir/logs/db-init.log" >&2; fail "db init failed"; }

  # Mosquitto from the project's configuration: persistence, raised queue limits, MQTT 5; anonymous on loopback.
  mqtt_port=$(free_port)
  mkdir "$dir/mosquitto"
  sed -e "s|^listener 1883$|listener $mqtt_port 127.0.0.1|" \
      -e "s|^allow_anonymous false$|allow_anonymous true|" \
      -e "/^password_file/d" \
      -e "s|^persistence_location .*|persistence_location $dir/mosquitto/|" \
      "$repo/deploy/mosquitto/mosquitto.conf" >"$dir/mosquitto/mosquitto.conf"
  echo "log_dest file $dir/logs/mosquitto.log" >>"$dir/mosquitto/mosquitto.conf"
  if [ "$(id -u)" -eq 0 ]; then
    if id mosquitto >/dev/null 2>&1; then
      chown mosquitto "$dir/mosquitto"
      touch "$dir/logs/mosquitto.log" && chown mosquitto "$dir/logs/mosquitto.log"
    else
      echo "user root" >>"$dir/mosquitto/mosquitto.conf"
    fi
  fi
  launch "$dir/logs/mosquitto.out" "$dir/mosquitto" mosquitto -c "$dir/mosquitto/mosquitto.conf"
  save_state
  for _ in $(seq 100); do port_taken "$mqtt_port" && break; sleep 0.1; done
  port_taken "$mqtt_port" || fail "Mosquitto does not listen (log: $dir/logs/mosquitto.log)"

  # What silos and web app share; a variable of the caller's wins.
  app_env=()
  setting ASPNETCORE_ENVIRONMENT Production
  setting Mes__Mode Cluster
  setting ConnectionStrings__Mes "$connection_string"
  setting Mes__Cluster__AdvertisedAddress 127.0.0.1
  local shared=("${app_env[@]}")

  local i
  for i in $(seq 1 "$silos"); do
    local name="silo-$i" health
    health=$(free_port)
    app_env=("${shared[@]}")
    setting Urls "http://127.0.0.1:$health"
    setting Mes__Cluster__SiloName "$name"
    setting Mes__Silo__SiloPort "$(free_port)"
    setting Mes__Silo__GatewayPort "$(free_port)"
    setting Mes__Mqtt__Host 127.0.0.1
    setting Mes__Mqtt__Port "$mqtt_port"
    setting Mes__DataDirectory "$dir/$name"
    if [ -n "$plant" ]; then
      setting Mes__PlantModelPath "$plant"
    else
      setting Mes__Demo__Enabled true
    fi
    launch "$dir/logs/$name.log" "$(dirname "$silo_dll")" "${app_env[@]}" dotnet "$silo_dll"
    silo_names+=("$name")
    silo_pids+=("$launched_pid")
    silo_starts+=("$launched_start")
    silo_ports+=("$health")
    save_state
  done
  for i in "${!silo_names[@]}"; do
    wait_ready "${silo_names[$i]}" "${silo_ports[$i]}" "${silo_pids[$i]}" "${silo_starts[$i]}" "$dir/logs/${silo_names[$i]}.log"
  done

  if [ "$simulator" -eq 1 ]; then
    local simulate=(dotnet "$simulator_dll" --broker "127.0.0.1:$mqtt_port")
    [ -z "$plant" ] || simulate+=(--plant "$plant")
    launch "$dir/logs/simulator.log" "$(dirname "$simulator_dll")" "${simulate[@]}"
    save_state
  fi

  # The web app signs everyone in: without an initial admin from the caller, one is made up and printed.
  local admin_note=""
  app_env=("${shared[@]}")
  if [ -z "${Mes__Auth__InitialAdmin__UserName+set}" ]; then
    local password
    password="Local-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16)-7a"
    setting Mes__Auth__InitialAdmin__UserName admin
    setting Mes__Auth__InitialAdmin__Password "$password"
    printf 'user name: admin\npassword: %s\n' "$password" >"$dir/admin.txt"
    chmod 600 "$dir/admin.txt"
    admin_note="sign in as admin with password $password (also in $dir/admin.txt)"
  fi
  web_port=$(free_port)
  setting Urls "http://127.0.0.1:$web_port"
  launch "$dir/logs/web.log" "$(dirname "$web_dll")" "${app_env[@]}" dotnet "$web_dll"
  local web_pid=$launched_pid web_start=$launched_start
  save_state
  wait_ready web "$web_port" "$web_pid" "$web_start" "$dir/logs/web.log"

  trap - EXIT
  echo "MES cluster up: web http://127.0.0.1:$web_port, $silos silos, logs in $dir/logs"
  [ -z "$admin_note" ] || echo "$admin_note"
  cmd_status
}

load_state() {
  [ -f "$state" ] || fail "no cluster is up in $dir"
  # shellcheck disable=SC1090
  source "$state"
}

cmd_status() {
  load_state
  local silos="" all="" i
  for i in "${!silo_names[@]}"; do
    [ -z "$silos" ] || silos+=", "
    silos+="{\"name\": \"${silo_names[$i]}\", \"pid\": ${silo_pids[$i]}, \"health\": \"http://127.0.0.1:${silo_ports[$i]}/health\"}"
  done
  for i in "${!pids[@]}"; do
    [ -z "$all" ] || all+=", "
    all+="${pids[$i]}"
  done
  printf '{"web": "http://127.0.0.1:%s", "mqtt": {"host": "127.0.0.1", "port": %s}, "postgres": "%s", "silos": [%s], "pids": [%s]}\n' \
    "${web_port:-0}" "${mqtt_port:-0}" "$(json_escape "$connection_string")" "$silos" "$all"
}

cmd_down() {
  load_state
  local i deadline
  # Apps first (newest first), gracefully: silos leave the cluster and hand their broker sessions back.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    [ "${pids[$i]}" = "$pg_pid" ] && continue
    if alive "${pids[$i]}" "${starts[$i]}"; then kill -TERM "${pids[$i]}" 2>/dev/null || true; fi
  done
  deadline=$((SECONDS + 60))
  for i in "${!pids[@]}"; do
    [ "${pids[$i]}" = "$pg_pid" ] && continue
    while alive "${pids[$i]}" "${starts[$i]}" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    if alive "${pids[$i]}" "${starts[$i]}"; then kill -KILL "${pids[$i]}" 2>/dev/null || true; fi
  done
  if [ -n "${pg_pid:-}" ] && alive "$pg_pid" "$pg_start"; then
    as_postgres "$pg_bin/pg_ctl" stop -D "$dir/postgres/data" -m fast -w -t 30 >/dev/null 2>&1 || kill -KILL "$pg_pid" 2>/dev/null || true
    while alive "$pg_pid" "$pg_start"; do sleep 0.2; done
  fi
  for i in "${!pids[@]}"; do
    while alive "${pids[$i]}" "${starts[$i]}"; do sleep 0.2; done
  done
  # Only what 'up' made: the folder itself goes only when nothing else is in it.
  rm -rf -- "$dir/postgres" "$dir/mosquitto" "$dir/logs" "$dir"/silo-* "$dir/admin.txt" "$state"
  rmdir "$dir" 2>/dev/null || true
  echo "MES cluster down: stopped ${#pids[@]} processes, removed $dir"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  status) cmd_status ;;
  down) cmd_down ;;
  *) usage ;;
esac
