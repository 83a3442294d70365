#!/bin/bash
# Run inside a bare Debian 12 chroot by scripts/package-test.sh, as root: installs the package given as $1
# and checks it the way a council's IT would use it. Prints each step; the first failure stops it.
set -euo pipefail
deb=$1
export DEBIAN_FRONTEND=noninteractive
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*" >&2; }
mode_is() {  # PATH MODE OWNER GROUP
  local got; got=$(stat -c '%a %U %G' "$1") || fail "$1 is missing"
  [ "$got" = "$2 $3 $4" ] || fail "$1 is '$got', expected '$2 $3 $4'"
}
wait_log() {  # TEXT: waits up to 30 s for dpmond's log to show it
  for _ in $(seq 300); do grep -qF "$1" /tmp/dpmond.log && return 0; sleep 0.1; done
  cat /tmp/dpmond.log >&2; fail "dpmond's log never showed '$1'"
}

# Nothing may start a service in a chroot.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
apt-get update -qq

step "apt-get install $(basename "$deb")"
dpkg-query -W -f='${Package}\n' | sort >/tmp/before.txt
apt-get install -y -q --no-install-recommends "$deb" >/tmp/install.log 2>&1 || { cat /tmp/install.log >&2; fail "install"; }
deps=$(dpkg-query -W -f='${Depends}' dpmon)
echo "   Depends: $deps" >&2
case "$deps" in *-dev*) fail "a build-time package in Depends: $deps" ;; esac
# Every package the install brought in came from the Debian archive.
dpkg-query -W -f='${Package}\n' | sort | comm -13 /tmp/before.txt - | grep -vx dpmon >/tmp/added.txt || true
echo "   brought in $(wc -l </tmp/added.txt) Debian packages" >&2
while read -r p; do
  apt-cache policy "$p" >/tmp/policy.txt
  grep -q ' http' /tmp/policy.txt || { cat /tmp/policy.txt >&2; fail "$p is not from the Debian archive"; }
done </tmp/added.txt

step "dpmon --version"
v=$(dpmon --version)
echo "   $v" >&2
case "$v" in *"$(dpkg-query -W -f='${Version}' dpmon)"*) ;; *) fail "dpmon --version does not say the package version" ;; esac
dpmond --version >/dev/null || fail "dpmond --version"

step "user, group, folders and files"
user=$(getent passwd dpmon || true)
case "$user" in *:/var/lib/dpmon:/usr/sbin/nologin) ;; *) fail "no dpmon system user: '$user'" ;; esac
groups=" $(id -nG dpmon) "
case "$groups" in *" dpmon-upload "*) ;; *) fail "dpmon is not in the group dpmon-upload:$groups" ;; esac
mode_is /var/lib/dpmon 700 dpmon dpmon
mode_is /var/lib/dpmon-drop 2750 dpmon dpmon-upload
mode_is /var/lib/dpmon-drop/statements 2770 dpmon dpmon-upload
mode_is /var/lib/dpmon-drop/plans 2770 dpmon dpmon-upload
mode_is /etc/dpmon 750 root dpmon
mode_is /etc/dpmon/api-token 600 root root
mode_is /etc/dpmon/users.toml 640 root dpmon
dpkg-query -W -f='${Conffiles}\n' dpmon >/tmp/conffiles.txt
grep -q '^ /etc/dpmon/dpmon.toml ' /tmp/conffiles.txt || fail "/etc/dpmon/dpmon.toml is not a conffile"
for page in man1/dpmon.1 man5/dpmon.toml.5 man8/dpmond.8; do
  [ -f "/usr/share/man/$page.gz" ] || fail "no manual page $page"
done
[ -f /usr/share/doc/dpmon/operations.md ] || fail "no /usr/share/doc/dpmon/operations.md"

step "dpmon check-config"
dpmon check-config >/tmp/check-config.txt 2>&1 || { cat /tmp/check-config.txt >&2; fail "check-config"; }
grep -q 'drop_dir = "/var/lib/dpmon-drop"' /tmp/check-config.txt || fail "the packaged config does not use /var/lib/dpmon-drop"

step "systemd-analyze verify"
unit=$(dpkg -L dpmon | grep '/systemd/system/dpmond.service$')
command -v systemd-analyze >/dev/null || apt-get install -y -q --no-install-recommends systemd >/tmp/systemd.log 2>&1
systemd-analyze verify "$unit" 2>&1 | tee /tmp/verify.txt >&2
[ ! -s /tmp/verify.txt ] || fail "systemd-analyze verify $unit reported the lines above"
grep -q '^ReadWritePaths=-/var/lib/dpmon-drop$' "$unit" || fail "the unit may not write to the drop folders"

step "an uploader in dpmon-upload delivers; dpmond, as dpmon, imports"
useradd --create-home --groups dpmon-upload uploader
# As the unit runs it: user dpmon with its groups (setpriv execs, so $! is dpmond itself).
setpriv --reuid=dpmon --regid=dpmon --init-groups dpmond --config /etc/dpmon/dpmon.toml >/tmp/dpmond.log 2>&1 &
dpmond_pid=$!
wait_log "listening on"
runuser -u uploader -- sh -c 'umask 027; cd /var/lib/dpmon-drop/plans &&
  printf "%s" "{\"accounts\": [{\"account_ref\": \"DP-000001\", \"person_ref\": \"P-000001\",
    \"account_type\": \"dedicated_bank\", \"finance_officer\": \"officer@council.example\", \"status\": \"active\",
    \"dp_start\": \"2026-01-05\", \"bank\": {\"sort_code\": \"30-91-01\", \"account_number\": \"11112222\"},
    \"plans\": []}]}" >.accounts.json && mv .accounts.json accounts.json'
wait_log "applied plan file accounts.json"
runuser -u uploader -- sh -c 'umask 027; cd /var/lib/dpmon-drop/statements &&
  printf "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance\n05/01/2026,DEB,'"'"'30-91-01,11112222,COUNCIL DP,,500.00,500.00\n" >.jan.csv &&
  mv .jan.csv jan.csv'
wait_log "imported jan.csv"
[ -z "$(ls -A /var/lib/dpmon-drop/statements)" ] || fail "the statement is still in the drop folder"
# A file written private (umask 077) cannot be read: the log says what to do, and once done it is taken.
runuser -u uploader -- sh -c 'umask 077; cd /var/lib/dpmon-drop/statements &&
  printf "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance\n05/02/2026,DEB,'"'"'30-91-01,11112222,COUNCIL DP,,500.00,1000.00\n" >.feb.csv &&
  mv .feb.csv feb.csv'
wait_log "feb.csv: Permission denied (dpmond reads delivered files through the group dpmon-upload"
runuser -u uploader -- chmod g+r /var/lib/dpmon-drop/statements/feb.csv
wait_log "imported feb.csv"
if runuser -u uploader -- ls /var/lib/dpmon >/dev/null 2>&1; then fail "an uploader can read the state folder"; fi
kill -TERM "$dpmond_pid"
wait "$dpmond_pid" || fail "dpmond did not stop cleanly: $(tail -n 5 /tmp/dpmond.log)"
[ "$(stat -c '%a %U' /var/lib/dpmon/dpmon.db)" = "600 dpmon" ] || fail "the database is not 0600 dpmon"

step "apt-get remove keeps the user, the configuration and the data"
apt-get remove -y -q dpmon >/tmp/remove.log 2>&1 || { cat /tmp/remove.log >&2; fail "remove"; }
getent passwd dpmon >/dev/null || fail "remove deleted the dpmon user"
[ -f /var/lib/dpmon/dpmon.db ] || fail "remove deleted the database"
[ -f /etc/dpmon/dpmon.toml ] || fail "remove deleted the configuration"

step "apt-get purge removes the configuration and keeps the database"
apt-get purge -y -q dpmon >/tmp/purge.log 2>&1 || { cat /tmp/purge.log >&2; fail "purge"; }
[ ! -e /etc/dpmon/dpmon.toml ] || fail "purge kept /etc/dpmon/dpmon.toml"
[ ! -e /etc/dpmon/api-token ] || fail "purge kept /etc/dpmon/api-token"
[ -f /var/lib/dpmon/dpmon.db ] || fail "purge deleted the database without being asked"
grep -q "are kept" /tmp/purge.log || fail "purge did not say the data is kept"

step "a purge asked to (DPMON_PURGE_DATA=yes) removes the data too"
apt-get install -y -q --no-install-recommends "$deb" >/tmp/install2.log 2>&1 || { cat /tmp/install2.log >&2; fail "reinstall"; }
DPMON_PURGE_DATA=yes apt-get purge -y -q dpmon >/tmp/purge2.log 2>&1 || { cat /tmp/purge2.log >&2; fail "purge"; }
[ ! -e /var/lib/dpmon ] || fail "DPMON_PURGE_DATA=yes purge kept /var/lib/dpmon"
[ ! -e /var/lib/dpmon-drop ] || fail "DPMON_PURGE_DATA=yes purge kept /var/lib/dpmon-drop"

echo "all package checks passed" >&2
